import { toJson } from "@bufbuild/protobuf";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { formatDuration, shellCommandLine } from "@orchestrator/agent";
import { GetAgentStatusResponseSchema } from "@orchestrator/contracts";
import { Command } from "commander";
import { globalsOf } from "../global-options.js";
import { printJson, printTable } from "../output/print.js";
import { agentClient } from "./agent-client.js";

/** `orchestrator agent status <name>`: what an agent runner is doing now (GetAgentStatus). */
export function agentStatusCommand(): Command {
  return new Command("status")
    .description("show what an agent is doing: activity, task, queue, runs, command")
    .argument("<name>", "the agent's name")
    .addHelpText("after", "\nExamples:\n  $ orchestrator agent status kite-1\n  $ orchestrator agent status kite-1 --json")
    .action(async (name: string, _o, command: Command) => {
      const s = await (await agentClient(name, command)).getAgentStatus({});
      if (globalsOf(command).json) {
        printJson(toJson(GetAgentStatusResponseSchema, s));
        return;
      }
      const runningFor = s.runStartedAt ? formatDuration(Date.now() - timestampDate(s.runStartedAt).getTime()) : "-";
      printTable(
        ["NAME", "POOL", "ACTIVITY", "TASK", "RUNNING FOR", "QUEUED", "COMPLETED", "FAILED", "WORKDIR", "COMMAND"],
        [[s.name, s.pool, s.activity, s.taskId || "-", runningFor, String(s.queued), String(s.runsCompleted), String(s.runsFailed), s.workdir, shellCommandLine(s.command)]],
      );
    });
}
