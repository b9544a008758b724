import type { Client } from "@connectrpc/connect";
import { AgentService, HealthService, InstanceKind } from "@orchestrator/contracts";
import { createServiceClient } from "@orchestrator/rpc";
import type { Command } from "commander";
import { CLI_GRPC_CLIENT, clientFor, globalsOf } from "../global-options.js";

/**
 * A client for the AgentService of the runner named `name`: its address is
 * the one it registered (HealthService GetInstance); the API key and the
 * call deadline are the global options'. Fails with a message naming the
 * instance when it is no agent.
 */
export async function agentClient(name: string, command: Command): Promise<Client<typeof AgentService>> {
  const { instance } = await clientFor(HealthService, command).getInstance({ name });
  if (!instance || instance.kind !== InstanceKind.AGENT || instance.address === "") {
    throw new Error(`${name} is not an agent runner: agent tail and agent status work on instances started with \`orchestrator agent\``);
  }
  const g = globalsOf(command);
  return createServiceClient(AgentService, { address: instance.address, ...(g.apiKey ? { apiKey: g.apiKey } : {}), timeoutMs: g.timeoutMs, grpcClient: CLI_GRPC_CLIENT });
}
