import { create } from "@bufbuild/protobuf";
import type { ConnectRouter } from "@connectrpc/connect";
import {
  AgentService,
  CloseTerminalResponseSchema,
  GetTerminalResponseSchema,
  ReadTerminalResponseSchema,
  SendInputResponseSchema,
  StopTerminalResponseSchema,
  WaitTerminalResponseSchema,
} from "@orchestrator/contracts";
import type { ServiceModule } from "@orchestrator/rpc";
import { agentServiceImpl } from "../agent-service.handler.js";
import { terminalActivity } from "./terminal-activity.js";
import { DEFAULT_QUIET_MS, type TerminalSession, type WaitCondition } from "./terminal-session.js";
import { terminalToProto } from "./terminal-to-proto.js";

/** How long WaitTerminal waits when the request says 0. */
export const DEFAULT_TERMINAL_WAIT_MS = 120_000;
/** Between SIGHUP and SIGKILL when StopTerminal says 0. */
const DEFAULT_STOP_GRACE_MS = 2000;
/** Answer this much before the caller's deadline, so a wait that runs out is a `timeout` answer rather than DEADLINE_EXCEEDED. */
const DEADLINE_MARGIN_MS = 250;

/** What a terminal host's AgentService answers from. */
export interface TerminalServiceDeps {
  readonly session: TerminalSession;
  readonly pool: string;
  /** Stops the command and deregisters the terminal; the host ends after answering. */
  readonly close: () => Promise<void>;
}

/**
 * The AgentService of a terminal host: the terminal RPCs (GetTerminal,
 * ReadTerminal, SendInput, WaitTerminal, StopTerminal, CloseTerminal) over
 * one TerminalSession, plus TailOutput (its complete lines) and
 * GetAgentStatus (its activity), as an agent runner answers them. Request
 * fields are checked by the proto rules (INVALID_ARGUMENT naming the field);
 * input for an exited command is FAILED_PRECONDITION `terminal_exited`.
 */
export function createTerminalServiceModule(deps: TerminalServiceDeps): ServiceModule {
  const { session } = deps;
  const info = () => terminalToProto(session.info());
  const agent = agentServiceImpl({
    name: session.spec.name,
    pool: deps.pool,
    command: [session.spec.command],
    workdir: session.spec.workdir,
    ring: session.ring,
    status: () => {
      const t = session.info();
      const exited = t.status === "exited";
      return {
        ...terminalActivity(t),
        taskId: "",
        dispatchId: "",
        queued: 0,
        runsCompleted: exited && t.exitCode === 0 ? 1 : 0,
        runsFailed: exited && t.exitCode !== 0 ? 1 : 0,
        startedAt: t.startedAt,
        runStartedAt: t.startedAt,
      };
    },
  });
  return {
    serviceNames: [AgentService.typeName],
    register(router: ConnectRouter) {
      router.service(AgentService, {
        ...agent,
        getTerminal: () => create(GetTerminalResponseSchema, { terminal: info() }),
        readTerminal: (req) => create(ReadTerminalResponseSchema, { terminal: info(), lines: session.read(req.lines) }),
        sendInput(req) {
          const bytes = session.send(req.text, req.enter);
          return create(SendInputResponseSchema, { terminal: info(), bytes });
        },
        async waitTerminal(req, context) {
          const remaining = context.timeoutMs();
          const asked = req.timeoutMs || DEFAULT_TERMINAL_WAIT_MS;
          const timeoutMs = remaining === undefined ? asked : Math.max(0, Math.min(asked, remaining - DEADLINE_MARGIN_MS));
          const res = await session.wait(req.for as WaitCondition, timeoutMs, req.quietMs || DEFAULT_QUIET_MS, context.signal);
          return create(WaitTerminalResponseSchema, { outcome: res.outcome, terminal: info(), waitedMs: res.waitedMs });
        },
        async stopTerminal(req) {
          await session.stop(req.graceMs || DEFAULT_STOP_GRACE_MS);
          return create(StopTerminalResponseSchema, { terminal: info() });
        },
        async closeTerminal() {
          await deps.close();
          return create(CloseTerminalResponseSchema, { terminal: info() });
        },
      });
    },
  };
}
