import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { TerminalSchema, type Terminal } from "@orchestrator/contracts";
import type { TerminalInfo } from "./terminal-session.js";

/** A terminal's state → the Terminal message. */
export function terminalToProto(t: TerminalInfo): Terminal {
  return create(TerminalSchema, {
    name: t.name,
    title: t.title,
    command: t.command,
    worktree: t.worktree,
    workdir: t.workdir,
    status: t.status,
    agent: t.agent,
    pid: t.pid,
    hostPid: t.hostPid,
    exitCode: t.exitCode,
    idle: t.idle,
    splitFrom: t.splitFrom,
    direction: t.direction,
    startedAt: timestampFromDate(t.startedAt),
    ...(t.exitedAt ? { exitedAt: timestampFromDate(t.exitedAt) } : {}),
    ...(t.lastOutputAt ? { lastOutputAt: timestampFromDate(t.lastOutputAt) } : {}),
    lines: BigInt(t.lines),
  });
}
