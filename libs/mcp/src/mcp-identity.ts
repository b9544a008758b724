/**
 * Who the MCP session acts as, and the dispatch it is working on: the
 * handle is the sender of `send`/`reply` and the mailbox of `check`/`inbox`
 * (like the CLI's `--from`/`--handle`); the task, dispatch and reply-to
 * handle are what `worker_done` and `escalate` answer when the call names
 * none. Over stdio they come from the environment the agent runner sets;
 * over HTTP from the session's first request headers.
 */
export interface McpIdentity {
  readonly handle?: string;
  readonly taskId?: string;
  readonly dispatchId?: string;
  readonly replyTo?: string;
}

/** Request headers carrying an HTTP session's identity (the handle header is the services' caller header). */
export const IDENTITY_HEADERS = {
  handle: "x-orchestrator-caller",
  taskId: "x-orchestrator-task-id",
  dispatchId: "x-orchestrator-dispatch-id",
  replyTo: "x-orchestrator-reply-to",
} as const;

/** A handle as the mailbox accepts it. */
const HANDLE = /^[A-Za-z0-9]([A-Za-z0-9_.-]{0,61}[A-Za-z0-9])?$/;

/** The identity in ORCHESTRATOR_HANDLE, ORCHESTRATOR_TASK_ID, ORCHESTRATOR_DISPATCH_ID and ORCHESTRATOR_REPLY_TO. */
export function identityFromEnv(env: Readonly<Record<string, string | undefined>>): McpIdentity {
  return compact({ handle: env["ORCHESTRATOR_HANDLE"], taskId: env["ORCHESTRATOR_TASK_ID"], dispatchId: env["ORCHESTRATOR_DISPATCH_ID"], replyTo: env["ORCHESTRATOR_REPLY_TO"] });
}

/** The identity in an HTTP request's x-orchestrator-* headers. */
export function identityFromHeaders(header: (name: string) => string | undefined): McpIdentity {
  return compact({
    handle: header(IDENTITY_HEADERS.handle),
    taskId: header(IDENTITY_HEADERS.taskId),
    dispatchId: header(IDENTITY_HEADERS.dispatchId),
    replyTo: header(IDENTITY_HEADERS.replyTo),
  });
}

function compact(raw: Record<keyof McpIdentity, string | undefined>): McpIdentity {
  const out: { -readonly [K in keyof McpIdentity]: string } = {};
  for (const [key, value] of Object.entries(raw) as Array<[keyof McpIdentity, string | undefined]>) {
    const v = value?.trim();
    if (v) out[key] = v;
  }
  if (out.handle !== undefined && !HANDLE.test(out.handle)) {
    throw new Error(`invalid handle "${out.handle}": 1-63 letters, digits, '.', '_' or '-', starting and ending with a letter or digit`);
  }
  return out;
}
