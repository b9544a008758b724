import { AlreadyExistsError, DomainError, FailedPreconditionError, InvalidArgumentError, NotFoundError } from "@orchestrator/errors";
import { describeCycle } from "./describe-cycle.js";
import type { TaskStatus } from "./task.js";

/** No task has this id. NOT_FOUND, reason `unknown_task`. */
export class UnknownTaskError extends NotFoundError {
  constructor(readonly taskId: string) {
    super("task", taskId);
  }
}

/** A task id is taken. ALREADY_EXISTS, reason `task_exists`, naming the request field. */
export class TaskExistsError extends AlreadyExistsError {
  constructor(
    readonly taskId: string,
    field: string,
  ) {
    super("task", taskId, field);
  }
}

/** A dependency names no task. INVALID_ARGUMENT, reason `unknown_dependency`, naming the field (`deps[1]`). */
export class UnknownDependencyError extends InvalidArgumentError {
  constructor(
    field: string,
    readonly dependency: string,
  ) {
    super(field, `unknown dependency "${dependency}": no task has this id`, "unknown_dependency");
  }
}

/**
 * Dependencies would make a cycle. INVALID_ARGUMENT, reason `dependency_cycle`;
 * the message names the cycle once, bounded (its first ids and its length,
 * see describeCycle); metadata `cycle_length` counts its tasks.
 */
export class DependencyCycleError extends DomainError {
  constructor(
    readonly cycle: readonly string[],
    readonly field = "deps",
  ) {
    const description = describeCycle(cycle);
    super("invalid_argument", "dependency_cycle", `${field}: ${description}`, { field, cycle_length: String(Math.max(1, cycle.length - 1)) }, [
      { field, description },
    ]);
  }
}

/** Dispatch of a task that is not `ready`. FAILED_PRECONDITION, reason `task_not_ready`. */
export class TaskNotReadyError extends FailedPreconditionError {
  constructor(
    readonly taskId: string,
    readonly taskStatus: TaskStatus,
  ) {
    const status = taskStatus;
    const why =
      status === "pending"
        ? "it is pending (waiting for dependencies)"
        : status === "blocked"
          ? "it is blocked by a decision gate"
          : `it is ${status}`;
    super("task_not_ready", `task "${taskId}" cannot be dispatched: ${why}; only ready tasks can`, { task: taskId, status });
  }
}

/** A status change the task's current status does not allow. FAILED_PRECONDITION, reason `invalid_transition`. */
export class InvalidTransitionError extends FailedPreconditionError {
  constructor(
    readonly taskId: string,
    readonly from: TaskStatus,
    readonly to: string,
    allowed: string,
  ) {
    super("invalid_transition", `task "${taskId}" is ${from}: cannot become ${to} (${allowed})`, { task: taskId, status: from, to });
  }
}
