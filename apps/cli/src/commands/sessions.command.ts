import { Command } from "commander";
import { fromJson, toJson } from "@bufbuild/protobuf";
import { timestampDate, ValueSchema } from "@bufbuild/protobuf/wkt";
import {
  GetSessionResponseSchema,
  ListSessionsResponseSchema,
  RouterService,
  SendSessionResponseSchema,
  SessionSchema,
  SessionState,
  SpawnSessionResponseSchema,
  type Session,
} from "@orchestrator/contracts";
import { splitSelectorList } from "@orchestrator/selector";
import { clientFor, globalsOf } from "../global-options.js";
import { ago, enumLabel, printJson, printTable } from "../output/print.js";
import { callTimeoutMs } from "../router/call-timeout.js";
import { collectMetadata } from "../router/collect-metadata.js";
import { parseJsonOption } from "../router/parse-json-option.js";
import { durationInit, parseDurationOption } from "../router/parse-duration-option.js";
import { printAttempts } from "../router/print-attempts.js";
import { addConfigOption, applyConfigFile } from "../options/config-file-option.js";

/** `orchestrator sessions spawn|send|get|list|close`: sessions pinned to instances. */
export function sessionsCommand(): Command {
  const sessions = new Command("sessions")
    .description("sessions pinned to an instance: spawn, send (in order), get, list, close")
    .addHelpText(
      "after",
      `
Examples:
  $ orchestrator sessions spawn --id session1 --pool demo
  $ orchestrator sessions send --id session1 --data '{"key":"value"}'
  $ orchestrator sessions get --id session1 --history
  $ orchestrator sessions list --all
  $ orchestrator sessions close --id session1`,
    );
  sessions.addCommand(sessionSpawnCommand("spawn"));
  sessions.addCommand(sessionSendCommand("send"));
  addConfigOption(
    sessions
      .command("get")
      .description("show a session, optionally with its history")
      .option("--id <session>", "session id (required)")
      .option("--history", "include the history")
      .option("--limit <n>", "history entries (most recent)", (v) => Number.parseInt(v, 10), 100)
      .addHelpText("after", "\nExamples:\n  $ orchestrator sessions get --id session1\n  $ orchestrator sessions get --id session1 --history --limit 20 --json"),
  ).action(async (_o: unknown, command: Command) => {
      applyConfigFile(command);
      const o = command.opts<{ id?: string; history?: boolean; limit: number }>();
      if (!o.id) throw new Error("--id is required: the session to show (orchestrator sessions list shows them)");
      const res = await clientFor(RouterService, command).getSession({ sessionId: o.id, includeHistory: Boolean(o.history), historyLimit: o.limit });
      if (globalsOf(command).json) return printJson(toJson(GetSessionResponseSchema, res));
      printSessionDetails(res.session!);
      if (o.history) {
        printTable(
          ["SEQ", "INSTANCE", "AT", "DATA", "RESULT"],
          res.history.map((h) => [String(h.sequence), h.instance, h.at ? timestampDate(h.at).toISOString() : "", json(h.data), json(h.result)]),
        );
      }
    });
  addConfigOption(
    sessions
      .command("list")
      .alias("ls")
      .description("list sessions (open ones unless --all), by id")
      .option("--all", "include closed and expired sessions")
      .option("--instance <name>", "only sessions pinned to this instance")
      .option("--pool <pool>", "only sessions of this pool")
      .option("--limit <n>", "page size", (v) => Number.parseInt(v, 10), 100)
      .option("--page-token <token>", "the next page of an earlier listing")
      .addHelpText("after", "\nExamples:\n  $ orchestrator sessions list\n  $ orchestrator sessions list --all --pool demo --json"),
  ).action(async (_o: unknown, command: Command) => {
      applyConfigFile(command);
      const o = command.opts<{ all?: boolean; instance?: string; pool?: string; limit: number; pageToken?: string }>();
      const res = await clientFor(RouterService, command).listSessions({
        includeClosed: Boolean(o.all),
        instance: o.instance ?? "",
        pool: o.pool ?? "",
        limit: o.limit,
        pageToken: o.pageToken ?? "",
      });
      if (globalsOf(command).json) return printJson(toJson(ListSessionsResponseSchema, res));
      printTable(
        ["ID", "INSTANCE", "POOL", "STATE", "SEQ", "ACTIVE", "FAILOVERS"],
        res.sessions.map((s) => [s.sessionId, s.instance, s.pool, enumLabel(SessionState, s.state), String(s.lastSequence), ago(s.lastActivityAt && timestampDate(s.lastActivityAt)), String(s.failovers)]),
      );
      if (res.nextPageToken) process.stdout.write(`more: --page-token ${res.nextPageToken}\n`);
    });
  addConfigOption(
    sessions
      .command("close")
      .description("close a session (later sends fail)")
      .option("--id <session>", "session id")
      .option("--token <token>", "or the session's token")
      .addHelpText("after", "\nExamples:\n  $ orchestrator sessions close --id session1\n  $ orchestrator sessions close --token <token from spawn> --json"),
  ).action(async (_o: unknown, command: Command) => {
      applyConfigFile(command);
      const o = command.opts<{ id?: string; token?: string }>();
      const res = await clientFor(RouterService, command).closeSession({ sessionId: o.id ?? "", token: o.token ?? "" });
      if (globalsOf(command).json) return printJson(toJson(SessionSchema, res.session!));
      process.stdout.write(`session ${res.session!.sessionId} ${enumLabel(SessionState, res.session!.state)}\n`);
    });
  return sessions;
}

/** `sessions spawn`, also registered top-level as `sessions_spawn`. */
export function sessionSpawnCommand(name: string): Command {
  const command = new Command(name)
    .description(`open a session pinned to a healthy instance; prints its token${name === "spawn" ? "" : " (same as `sessions spawn`)"}`)
    .option("--id <session>", "session id (default: a new one)")
    .option("-i, --instances <selectors...>", "instances it may be pinned to")
    .option("--pool <pool>", "pool it is pinned to and fails over within")
    .option("--ttl <duration>", "expire after this long without traffic (e.g. 30m)")
    .option("-m, --metadata <key=value>", "metadata sent with every send (repeatable)", collectMetadata, {})
    .addHelpText("after", "\nExamples:\n  $ orchestrator sessions spawn --id session1\n  $ orchestrator sessions_spawn --id session1 --pool demo --ttl 1h\n  $ orchestrator sessions_spawn --config config.json     # {\"id\": \"session1\", \"instances\": [\"A\"]}");
  return addConfigOption(command).action(async (_o: unknown, command: Command) => {
      applyConfigFile(command, { aliases: { sessionId: "id", targets: "instances" } });
      const o = command.opts<{ id?: string; instances?: string[]; pool?: string; ttl?: string; metadata: Record<string, string> }>();
      const res = await clientFor(RouterService, command).spawnSession({
        sessionId: o.id ?? "",
        instances: splitSelectorList(o.instances ?? []),
        pool: o.pool ?? "",
        ...(o.ttl === undefined ? {} : { ttl: durationInit(parseDurationOption(o.ttl, "--ttl")) }),
        metadata: o.metadata,
      });
      if (globalsOf(command).json) return printJson(toJson(SpawnSessionResponseSchema, res));
      const s = res.session!;
      process.stdout.write(`session ${s.sessionId} pinned to ${s.instance} (pool ${s.pool})\ntoken ${res.token}\n`);
    });
}

/** `sessions send`, also registered top-level as `sessions_send`. */
export function sessionSendCommand(name: string): Command {
  const command = new Command(name)
    .description(`deliver data to a session's instance, in order, with the next sequence number${name === "send" ? "" : " (same as `sessions send`)"}`)
    .option("--id <session>", "session id")
    .option("--token <token>", "or the session's token")
    .option("-d, --data <json>", "the data, as JSON", "null")
    .option("--timeout <duration>", "deadline of this send, waiting for earlier sends included (10s; a bare number is seconds)")
    .addHelpText("after", "\nExamples:\n  $ orchestrator sessions send --id session1 --data '{\"key\":\"value\"}'\n  $ orchestrator sessions_send --id session1 --data '\"next\"' --json\n  $ orchestrator sessions_send --config config.json      # {\"id\": \"session1\", \"data\": {\"key\": \"value\"}, \"timeout\": 5}");
  return addConfigOption(command).action(async (_o: unknown, command: Command) => {
      applyConfigFile(command, { jsonKeys: ["data"], aliases: { sessionId: "id" } });
      const o = command.opts<{ id?: string; token?: string; data: string; timeout?: string }>();
      const g = globalsOf(command);
      const timeoutMs = o.timeout === undefined ? undefined : parseDurationOption(o.timeout, "--timeout");
      const res = await clientFor(RouterService, command).sendSession(
        {
          sessionId: o.id ?? "",
          token: o.token ?? "",
          data: fromJson(ValueSchema, parseJsonOption(o.data, "--data")),
          ...(timeoutMs === undefined ? {} : { timeout: durationInit(timeoutMs) }),
        },
        { timeoutMs: callTimeoutMs(g.timeoutMs, timeoutMs) },
      );
      if (g.json) return printJson(toJson(SendSessionResponseSchema, res));
      process.stdout.write(`${res.sessionId} #${res.sequence} -> ${res.instance}${res.failedOver ? " (failed over, history handed over)" : ""}\n`);
      process.stdout.write(`${JSON.stringify(res.result ? toJson(ValueSchema, res.result) : null, null, 2)}\n`);
      if (res.attempts.length > 1) printAttempts(res.attempts);
    });
}

function printSessionDetails(s: Session): void {
  const rows: Array<[string, string]> = [
    ["session", s.sessionId],
    ["state", enumLabel(SessionState, s.state)],
    ["instance", s.instance],
    ["pool", s.pool],
    ["last sequence", String(s.lastSequence)],
    ["failovers", String(s.failovers)],
    ["last activity", s.lastActivityAt ? timestampDate(s.lastActivityAt).toISOString() : "-"],
    ["expires", s.expiresAt ? timestampDate(s.expiresAt).toISOString() : "-"],
  ];
  if (Object.keys(s.metadata).length > 0) rows.push(["metadata", JSON.stringify(s.metadata)]);
  for (const [k, v] of rows) process.stdout.write(`${k.padEnd(14)} ${v}\n`);
}

function json(v: Parameters<typeof toJson<typeof ValueSchema>>[1] | undefined): string {
  return v ? JSON.stringify(toJson(ValueSchema, v)) : "null";
}
