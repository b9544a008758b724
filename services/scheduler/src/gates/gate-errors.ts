import { FailedPreconditionError, InvalidArgumentError, NotFoundError } from "@orchestrator/errors";
import type { GateRecord } from "./gate.js";

/** No gate has this id. NOT_FOUND, reason `unknown_gate`. */
export class UnknownGateError extends NotFoundError {
  constructor(readonly gateId: string) {
    super("gate", gateId);
  }
}

/** Resolving a gate that is not pending. FAILED_PRECONDITION, reason `gate_not_pending`. */
export class GateNotPendingError extends FailedPreconditionError {
  constructor(readonly gate: GateRecord) {
    const how = gate.status === "resolved" ? `resolved already ("${gate.resolution}" by ${gate.resolvedBy ?? "someone"})` : gate.status === "timeout" ? `timed out${gate.resolution ? ` (default "${gate.resolution}" applied)` : ""}` : "cancelled (its task finished first)";
    super("gate_not_pending", `gate "${gate.id}" is ${how}; only pending gates can be resolved`, { gate: gate.id, status: gate.status });
  }
}

/** A resolution that is not one of the gate's options. INVALID_ARGUMENT, reason `invalid_resolution`. */
export class InvalidResolutionError extends InvalidArgumentError {
  constructor(gate: GateRecord, resolution: string) {
    super("resolution", `"${resolution}" is not an option of gate "${gate.id}": choose one of ${gate.options.map((o) => `"${o}"`).join(", ")}`, "invalid_resolution");
  }
}
