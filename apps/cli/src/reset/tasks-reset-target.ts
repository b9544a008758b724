import { SchedulerService } from "@orchestrator/contracts";
import { clientFor } from "../global-options.js";
import type { ResetTarget } from "./reset-target.js";

/** `reset --tasks`: SchedulerService/Reset of tasks, dispatch contexts, gates and runs (messages kept). */
export const tasksResetTarget: ResetTarget = {
  flag: "tasks",
  description: "delete tasks, dispatch contexts, decision gates and runs (active runs stop)",
  async run(command) {
    const res = await clientFor(SchedulerService, command).reset({ tasks: true });
    const detail = `(${res.dispatches} dispatches, ${res.gates} gates, ${res.runs} runs)`;
    return { target: "tasks", deleted: Number(res.tasks), detail };
  },
};
