import { messagesResetTarget } from "./messages-reset-target.js";
import type { ResetTarget } from "./reset-target.js";
import { tasksResetTarget } from "./tasks-reset-target.js";

/**
 * Everything `orchestrator reset` can clear, in the order `--all` clears
 * them. Add a target (e.g. the scheduler's tasks) with one line here.
 */
export const RESET_TARGETS: readonly ResetTarget[] = [tasksResetTarget, messagesResetTarget];
