import type { AgentActivity } from "../agent-activity.js";
import { DEFAULT_QUIET_MS, type TerminalInfo, type TerminalSession } from "./terminal-session.js";

/**
 * A terminal's activity in the worker status protocol: `running` while its
 * command works (before its first output, and until the screen goes
 * quiet), `idle` once it is (`@idle` selects it), then `completed` (exit
 * 0) or `error` once the command has exited.
 */
export function terminalActivity(t: TerminalInfo): { activity: AgentActivity; detail: string } {
  if (t.status === "exited") return { activity: t.exitCode === 0 ? "completed" : "error", detail: `terminal ${t.name}: exited ${t.exitCode}` };
  return t.idle ? { activity: "idle", detail: `terminal ${t.name}: idle` } : { activity: "running", detail: `terminal ${t.name}: ${t.command}` };
}

/**
 * Reports a terminal's activity changes (see terminalActivity) as they
 * happen: woken by output, input and the exit, and by one timer at the end
 * of the quiet period. Only transitions are reported. Returns the stop.
 */
export function watchTerminalActivity(session: TerminalSession, report: (activity: AgentActivity, detail: string) => void, quietMs = DEFAULT_QUIET_MS): () => void {
  let last: AgentActivity | undefined;
  let timer: NodeJS.Timeout | undefined;
  const check = () => {
    clearTimeout(timer);
    const now = terminalActivity(session.info());
    if (now.activity !== last) {
      last = now.activity;
      report(now.activity, now.detail);
    }
    const idleAt = session.idleAt(quietMs);
    if (now.activity === "running" && idleAt !== undefined) timer = setTimeout(check, Math.max(0, idleAt - Date.now()) + 1);
  };
  const unsubscribe = session.onChange(check);
  check();
  return () => {
    unsubscribe();
    clearTimeout(timer);
  };
}
