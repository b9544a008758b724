import { dispatchTools } from "./dispatch-tools.js";
import { fleetTools } from "./fleet-tools.js";
import { gateTools } from "./gate-tools.js";
import { mailTools } from "./mail-tools.js";
import type { OrchestratorTool } from "./orchestrator-tool.js";
import { taskTools } from "./task-tools.js";

/**
 * Every tool, in the order they are listed: the mailbox (send, check,
 * reply, inbox), answers to a dispatch (worker_done, escalate), tasks
 * (task_create, task_list, task_show), gates (gate_create, gate_resolve)
 * and the fleet (instances, health).
 */
export const ORCHESTRATOR_TOOLS: readonly OrchestratorTool[] = [...mailTools, ...dispatchTools, ...taskTools, ...gateTools, ...fleetTools];
