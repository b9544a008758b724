import type { Command } from "commander";
import { createServiceClient } from "@orchestrator/rpc";
import type { DescService } from "@bufbuild/protobuf";
import type { Client } from "@connectrpc/connect";
import { globalsOf } from "./globals-of.js";

export { envDefaults, globalsOf, type GlobalOptions } from "./globals-of.js";

/** A client for a control-plane service, addressed and keyed by the global options. */
export function clientFor<T extends DescService>(service: T, command: Command): Client<T> {
  const g = globalsOf(command);
  return createServiceClient(service, { address: g.addr, ...(g.apiKey ? { apiKey: g.apiKey } : {}), timeoutMs: g.timeoutMs });
}
