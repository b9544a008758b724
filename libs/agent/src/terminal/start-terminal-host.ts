import { statSync } from "node:fs";
import { basename, resolve } from "node:path";
import { allFiles, MailboxService } from "@orchestrator/contracts";
import { createServiceClient, startServer } from "@orchestrator/rpc";
import type { Logger } from "pino";
import { AgentConfigError } from "../agent-config-error.js";
import { startAgentRegistration, type AgentRegistration } from "../start-agent-registration.js";
import { terminalActivity, watchTerminalActivity } from "./terminal-activity.js";
import { startTerminalDispatches, type TerminalDispatches } from "./terminal-dispatches.js";
import { agentKindOf, TERMINAL_POOL, terminalLabels } from "./terminal-labels.js";
import { createTerminalServiceModule } from "./terminal-service.handler.js";
import { TerminalSession } from "./terminal-session.js";

/** How long deregistration may take when the terminal closes. */
const DEREGISTER_TIMEOUT_MS = 5000;
/** Between SIGHUP and SIGKILL of the command when the terminal closes. */
const CLOSE_GRACE_MS = 2000;

/** Options of startTerminalHost (what `orchestrator terminal host` flags become). */
export interface TerminalHostOptions {
  /** Its handle: instance name and mailbox handle, e.g. `term_ab12cd`. */
  readonly name: string;
  /** A shell command line, e.g. `claude` or `bash`. */
  readonly command: string;
  /** Where it runs; its last part is the worktree id. */
  readonly workdir: string;
  /** @default "" */
  readonly title?: string;
  /** The terminal it was split from, and the direction asked (`terminal split`). @default "" */
  readonly splitFrom?: string;
  readonly direction?: string;
  /** Health service address (registration, heartbeats, activity). */
  readonly controlPlane: string;
  /** The ORCHESTRATOR_ADDR the command sees. @default controlPlane */
  readonly mailboxAddress?: string;
  /** Key for calls to the control plane. */
  readonly apiKey?: string;
  /** Keys the host's own server accepts. @default [apiKey] when set, else none (loopback only) */
  readonly serverApiKeys?: readonly string[];
  /** The environment the command inherits. */
  readonly env: Readonly<NodeJS.ProcessEnv>;
  /** @default 1000 */
  readonly heartbeatIntervalMs?: number;
  readonly logger: Logger;
}

/** A started terminal host. */
export interface RunningTerminalHost {
  readonly name: string;
  /** host:port of its AgentService. */
  readonly address: string;
  /** Pid of the process holding the command's pseudo-terminal. */
  readonly pid: number;
  /** Resolves once the host has ended: CloseTerminal was answered, or close() finished. */
  readonly ended: Promise<void>;
  /** Stops the command, deregisters, closes the server. Idempotent. */
  close(): Promise<void>;
}

/**
 * Starts a terminal host: the command under a pseudo-terminal (a
 * TerminalSession; the command sees ORCHESTRATOR_HANDLE, its own handle, as
 * a terminal of Orca sees ORCA_TERMINAL_HANDLE), an AgentService with the
 * terminal RPCs on loopback, and a registration as an instance of kind
 * agent in pool `terminals` (labels: see terminalLabels) whose activity
 * follows the screen (see terminalActivity), and an intake of the
 * dispatches sent to its handle (see startTerminalDispatches). Rejects with AgentConfigError
 * on a workdir that does not exist or when no pseudo-terminal can be had,
 * and when the control plane refuses the registration.
 */
export async function startTerminalHost(o: TerminalHostOptions): Promise<RunningTerminalHost> {
  const workdir = terminalWorkdir(o.workdir);
  if (o.command.trim() === "") throw new AgentConfigError("command", "no command: give the command line the terminal runs, e.g. bash or claude");
  const logger = o.logger.child({ terminal: o.name });
  const session = new TerminalSession({
    name: o.name,
    title: o.title ?? "",
    command: o.command,
    workdir,
    worktree: basename(workdir),
    agent: agentKindOf(o.command),
    splitFrom: o.splitFrom ?? "",
    direction: o.direction ?? "",
    env: {
      ...o.env,
      TERM: o.env["TERM"] || "xterm-256color",
      ORCHESTRATOR_HANDLE: o.name,
      ORCHESTRATOR_TERMINAL: o.name,
      ORCHESTRATOR_ADDR: o.mailboxAddress ?? o.controlPlane,
    },
  });
  let registration: AgentRegistration | undefined;
  let closing: Promise<void> | undefined;
  let endHost: () => void = () => {};
  const ended = new Promise<void>((resolve) => (endHost = resolve));
  let stopWatching: () => void = () => {};
  let dispatches: TerminalDispatches | undefined;
  const closeTerminal = () => {
    closing ??= (async () => {
      stopWatching();
      await dispatches?.stop();
      await session.stop(CLOSE_GRACE_MS);
      await registration?.deregister(DEREGISTER_TIMEOUT_MS);
    })();
    return closing;
  };
  const server = await startServer({
    host: "127.0.0.1",
    port: 0,
    apiKeys: o.serverApiKeys ?? (o.apiKey ? [o.apiKey] : []),
    modules: [
      createTerminalServiceModule({
        session,
        pool: TERMINAL_POOL,
        close: async () => {
          await closeTerminal();
          // After this answer is sent: the server drains it, then the host ends.
          setImmediate(() => {
            shutdown().catch((err: unknown) => logger.error({ err }, "terminal host shutdown failed"));
          });
        },
      }),
    ],
    reflectionFiles: allFiles,
    logger,
    drainTimeoutMs: 2000,
  });
  let shuttingDown: Promise<void> | undefined;
  const shutdown = () => {
    shuttingDown ??= (async () => {
      await closeTerminal();
      await server.close();
      endHost();
    })();
    return shuttingDown;
  };
  const spec = session.spec;
  const registered = startAgentRegistration({
    name: o.name,
    address: server.address,
    pool: TERMINAL_POOL,
    labels: terminalLabels(spec),
    controlPlane: o.controlPlane,
    ...(o.apiKey ? { apiKey: o.apiKey } : {}),
    heartbeatIntervalMs: o.heartbeatIntervalMs ?? 1000,
    activity: () => terminalActivity(session.info()),
    logger,
  });
  registration = registered;
  try {
    await registered.start();
  } catch (error) {
    await registered.stop();
    await session.stop(0);
    await server.close();
    throw error;
  }
  stopWatching = watchTerminalActivity(session, (activity, detail) => registered.report(activity, detail));
  const mailbox = createServiceClient(MailboxService, { address: o.mailboxAddress ?? o.controlPlane, ...(o.apiKey ? { apiKey: o.apiKey } : {}), timeoutMs: 30_000 });
  dispatches = startTerminalDispatches({ session, client: mailbox, logger });
  session.exited.then(
    (exit) => logger.info({ code: exit.code }, "terminal command exited"),
    () => undefined,
  );
  logger.info({ address: server.address, command: o.command, workdir, pid: session.info().pid }, "terminal host started");
  return { name: o.name, address: server.address, pid: session.info().pid, ended, close: shutdown };
}

/** The absolute workdir; AgentConfigError when it is no directory. */
function terminalWorkdir(dir: string): string {
  const workdir = resolve(dir);
  if (!statSync(workdir, { throwIfNoEntry: false })?.isDirectory()) throw new AgentConfigError("workdir", `worktree ${workdir} is not a directory`);
  return workdir;
}
