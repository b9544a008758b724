import type { Command } from "commander";
import { createServiceClient } from "@orchestrator/rpc";
import type { DescService } from "@bufbuild/protobuf";
import type { Client } from "@connectrpc/connect";
import { globalsOf } from "./globals-of.js";

export { envDefaults, globalsOf, type GlobalOptions } from "./globals-of.js";

/**
 * The gRPC client library of the CLI's calls: connect-node, which is in the
 * bundle. A command makes a few calls and exits, so what counts is start-up:
 * @grpc/grpc-js (the services' default, cheaper per call) is loaded from
 * node_modules at about 60 ms, a sixth of a whole `health` command (bench/cli).
 */
export const CLI_GRPC_CLIENT = "connect-node";

/** A client for a control-plane service, addressed and keyed by the global options. */
export function clientFor<T extends DescService>(service: T, command: Command): Client<T> {
  const g = globalsOf(command);
  return createServiceClient(service, { address: g.addr, ...(g.apiKey ? { apiKey: g.apiKey } : {}), timeoutMs: g.timeoutMs, grpcClient: CLI_GRPC_CLIENT });
}
