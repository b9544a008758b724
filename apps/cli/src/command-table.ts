import type { Command } from "commander";

/**
 * One top-level command of `orchestrator`: its name (and aliases) and how to
 * build it. Commands are loaded only when used, so `orchestrator health`
 * never loads the scheduler's contracts or the server code.
 */
export interface CommandEntry {
  readonly name: string;
  readonly aliases?: readonly string[];
  readonly load: () => Promise<Command>;
}

/** Every top-level command, in the order `orchestrator --help` lists them. Add a command with one line here. */
export const COMMAND_TABLE: readonly CommandEntry[] = [
  { name: "up", load: async () => (await import("./commands/up.command.js")).upCommand() },
  { name: "serve", load: async () => (await import("./commands/serve.command.js")).serveCommand() },
  { name: "migrate", load: async () => (await import("./commands/migrate.command.js")).migrateCommand() },
  { name: "status", load: async () => (await import("./commands/status.command.js")).statusCommand() },
  { name: "demo-instance", load: async () => (await import("./commands/demo-instance.command.js")).demoInstanceCommand() },
  { name: "agent", load: async () => (await import("./commands/agent.command.js")).agentCommand() },
  { name: "instances", load: async () => (await import("./commands/instances.command.js")).instancesCommand() },
  { name: "health", load: async () => (await import("./commands/health.command.js")).healthCommand() },
  { name: "allocate", load: async () => (await import("./commands/allocate.command.js")).allocateCommand() },
  { name: "release", load: async () => (await import("./commands/allocate.command.js")).releaseCommand() },
  { name: "pools", load: async () => (await import("./commands/pools.command.js")).poolsCommand() },
  { name: "route", load: async () => (await import("./commands/route.command.js")).routeCommand() },
  { name: "fanout", load: async () => (await import("./commands/fanout.command.js")).fanoutCommand() },
  { name: "sessions", load: async () => (await import("./commands/sessions.command.js")).sessionsCommand() },
  { name: "sessions_spawn", load: async () => (await import("./commands/sessions.command.js")).sessionSpawnCommand("sessions_spawn") },
  { name: "sessions_send", load: async () => (await import("./commands/sessions.command.js")).sessionSendCommand("sessions_send") },
  { name: "send", load: async () => (await import("./commands/send.command.js")).sendCommand() },
  { name: "check", load: async () => (await import("./commands/check.command.js")).checkCommand() },
  { name: "reply", load: async () => (await import("./commands/reply.command.js")).replyCommand() },
  { name: "inbox", load: async () => (await import("./commands/inbox.command.js")).inboxCommand() },
  { name: "subscribe", load: async () => (await import("./commands/subscribe.command.js")).subscribeCommand() },
  { name: "mark-read", load: async () => (await import("./commands/mark-read.command.js")).markReadCommand() },
  { name: "mcp", load: async () => (await import("./commands/mcp.command.js")).mcpCommand() },
  { name: "task", load: async () => (await import("./commands/task.command.js")).taskCommand() },
  { name: "dispatch", load: async () => (await import("./commands/dispatch.command.js")).dispatchCommand() },
  { name: "dispatch-show", load: async () => (await import("./commands/dispatch.command.js")).dispatchShowCommand() },
  { name: "gate", load: async () => (await import("./commands/gate.command.js")).gateCommand() },
  { name: "run", load: async () => (await import("./commands/run.command.js")).runCommand() },
  { name: "run-show", load: async () => (await import("./commands/run.command.js")).runShowCommand() },
  { name: "runs", load: async () => (await import("./commands/run.command.js")).runsCommand() },
  { name: "run-stop", load: async () => (await import("./commands/run.command.js")).runStopCommand() },
  { name: "terminal", load: async () => (await import("./commands/terminal.command.js")).terminalCommand() },
  { name: "reset", load: async () => (await import("./commands/reset.command.js")).resetCommand() },
];

/** The entry named `word` (by name or alias), if any. */
export function findCommandEntry(word: string | undefined): CommandEntry | undefined {
  if (word === undefined) return undefined;
  return COMMAND_TABLE.find((e) => e.name === word || e.aliases?.includes(word));
}
