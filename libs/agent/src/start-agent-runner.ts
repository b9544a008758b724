import { MailboxService, allFiles } from "@orchestrator/contracts";
import { createServiceClient, startServer } from "@orchestrator/rpc";
import { hostname } from "node:os";
import { basename } from "node:path";
import { AGENT_LABEL, WORKTREE_LABEL } from "@orchestrator/selector";
import type { AgentRegistration } from "./start-agent-registration.js";
import { agentEnv } from "./agent-env.js";
import { createAgentMcpWiring } from "./agent-mcp-wiring.js";
import type { AgentRunnerOptions, RunningAgent } from "./agent-runner-options.js";
import { AgentRunner } from "./agent-runner.js";
import { createAgentServiceModule } from "./agent-service.handler.js";
import { assertAgentSetup } from "./assert-agent-setup.js";
import { createAgentMailbox } from "./create-agent-mailbox.js";
import { OutputRing } from "./output-ring.js";
import { startAgentRegistration } from "./start-agent-registration.js";
import { startDispatchIntake } from "./start-dispatch-intake.js";

/** How long deregistration may take at shutdown. */
const DEREGISTER_TIMEOUT_MS = 5000;

/**
 * Starts `orchestrator agent`: checks the setup (command, workdir) before
 * any network call, serves AgentService (TailOutput, GetAgentStatus) with
 * grpc.health.v1 and reflection, registers as an instance of kind agent
 * (probe mode heartbeat, the AgentService address) and heartbeats, then
 * takes dispatch messages from its mailbox and runs them (see AgentRunner).
 *
 * Resolves once the server listens and the first registration was tried
 * (a control plane that is not up yet is retried in the background);
 * rejects with AgentConfigError on a bad setup, or when the control plane
 * refuses the registration (bad key, invalid name).
 */
export async function startAgentRunner(o: AgentRunnerOptions): Promise<RunningAgent> {
  const workdir = assertAgentSetup({ command: o.command, workdir: o.workdir, path: o.env["PATH"] ?? "" });
  const logger = o.logger.child({ agent: o.name });
  const mailboxAddress = o.mailboxAddress ?? o.controlPlane;
  const ring = new OutputRing(o.outputLines ?? 500);
  const mailboxClient = createServiceClient(MailboxService, { address: mailboxAddress, apiKey: o.apiKey, timeoutMs: 30_000 });
  let registration: AgentRegistration | undefined;
  const mcp = o.mcpServer && o.mcpServer.length > 0 ? createAgentMcpWiring(o.mcpServer) : undefined;
  const runner = new AgentRunner({
    name: o.name,
    command: o.command,
    workdir,
    inputMode: o.inputMode ?? "arg",
    timeoutMs: o.timeoutMs ?? 30 * 60_000,
    killGraceMs: o.killGraceMs ?? 5000,
    ring,
    presence: {
      report: (activity, detail) => registration?.report(activity, detail),
      release: (holder) => registration?.release(holder),
    },
    mailbox: createAgentMailbox({ client: mailboxClient, handle: o.name, logger }),
    env: (dispatch) =>
      agentEnv({ base: o.env, handle: o.name, controlPlane: mailboxAddress, cli: o.cli ?? "orchestrator", dispatch, ...(o.apiKey ? { apiKey: o.apiKey } : {}) }),
    logger,
    ...(o.echo ? { echo: o.echo } : {}),
    ...(mcp ? { mcp } : {}),
  });
  const server = await startServer({
    onClose: [async () => mcp?.close()],
    host: o.host ?? "127.0.0.1",
    port: o.port ?? 0,
    apiKeys: o.serverApiKeys ?? (o.apiKey ? [o.apiKey] : []),
    modules: [createAgentServiceModule({ name: o.name, pool: o.pool, command: o.command, workdir, ring, status: () => runner.status() })],
    reflectionFiles: allFiles,
    logger,
    // Only tail followers (ended at shutdown) and status calls: nothing worth waiting long for.
    drainTimeoutMs: 2000,
  });
  const address = o.advertiseAddress ?? advertised(server.host, server.port, server.address);
  const program = basename(o.command[0]!);
  registration = startAgentRegistration({
    name: o.name,
    address,
    pool: o.pool,
    labels: { [AGENT_LABEL]: program, [WORKTREE_LABEL]: basename(o.workdir), ...o.labels },
    controlPlane: o.controlPlane,
    ...(o.apiKey ? { apiKey: o.apiKey } : {}),
    heartbeatIntervalMs: o.heartbeatIntervalMs ?? 1000,
    activity: () => runner.currentActivity(),
    logger,
  });
  try {
    await registration.start();
  } catch (error) {
    await registration.stop();
    await server.close();
    throw error;
  }
  const intake = startDispatchIntake({ client: mailboxClient, handle: o.name, onDispatch: (m) => runner.enqueue(m), logger });
  logger.info({ address, pool: o.pool, command: o.command, workdir, controlPlane: o.controlPlane, mcp: mcp !== undefined }, "agent runner started");

  let closing: Promise<void> | undefined;
  return {
    name: o.name,
    address,
    status: () => runner.status(),
    close() {
      closing ??= (async () => {
        logger.info("agent runner shutting down");
        await intake.stop();
        await runner.stop();
        await registration.deregister(DEREGISTER_TIMEOUT_MS);
        await server.close();
      })();
      return closing;
    },
  };
}

/** The address to register: the listened one, or the machine's host name when listening on every interface. */
function advertised(host: string, port: number, listened: string): string {
  return host === "0.0.0.0" || host === "::" || host === "[::]" ? `${hostname()}:${port}` : listened;
}
