import { Code, ConnectError } from "@connectrpc/connect";
import { AgentService, HealthService, type Terminal } from "@orchestrator/contracts";
import { createServiceClient } from "@orchestrator/rpc";
import type { Command } from "commander";
import { CLI_GRPC_CLIENT, clientFor, globalsOf } from "../global-options.js";
import { newTerminalName } from "./new-terminal-name.js";
import { spawnTerminalHost } from "./spawn-terminal-host.js";

/** What a new terminal runs, and where. */
export interface NewTerminal {
  readonly workdir: string;
  readonly command: string;
  readonly title: string;
  readonly splitFrom?: string;
  readonly direction?: string;
}

/**
 * Creates a terminal: picks a free handle, starts its host (detached, see
 * spawnTerminalHost) and answers the terminal as its host shows it, and
 * whether the health registry lists it (the host retries a registration
 * the control plane did not take yet).
 */
export async function createTerminal(command: Command, t: NewTerminal): Promise<{ terminal: Terminal; registered: boolean }> {
  const g = globalsOf(command);
  const health = clientFor(HealthService, command);
  let name = newTerminalName();
  while (await registered(health, name)) name = newTerminalName();
  const host = await spawnTerminalHost({ name, ...t, addr: g.addr, ...(g.apiKey ? { apiKey: g.apiKey } : {}) });
  const client = createServiceClient(AgentService, { address: host.address, ...(g.apiKey ? { apiKey: g.apiKey } : {}), timeoutMs: g.timeoutMs, grpcClient: CLI_GRPC_CLIENT });
  const { terminal } = await client.getTerminal({});
  return { terminal: terminal!, registered: await registered(health, name) };
}

async function registered(health: ReturnType<typeof clientFor<typeof HealthService>>, name: string): Promise<boolean> {
  try {
    await health.getInstance({ name });
    return true;
  } catch (err) {
    if (ConnectError.from(err).code === Code.NotFound) return false;
    throw err;
  }
}
