import type { Command } from "commander";
import { loadConfig } from "@orchestrator/config";
import { createServiceClient } from "@orchestrator/rpc";
import type { DescService } from "@bufbuild/protobuf";
import type { Client } from "@connectrpc/connect";

/** Options every client command accepts (program-level). */
export interface GlobalOptions {
  addr: string;
  apiKey?: string;
  json: boolean;
  timeoutMs: number;
}

/**
 * Reads the program-level options of a subcommand. The API key is
 * `--api-key`, else ORCHESTRATOR_API_KEY's first key: it is never a flag's
 * default, so no help text ever shows it.
 */
export function globalsOf(command: Command): GlobalOptions {
  const options = command.optsWithGlobals() as GlobalOptions;
  const apiKey = options.apiKey ?? envDefaults().apiKey;
  return { ...options, ...(apiKey ? { apiKey } : {}) };
}

/** A client for a control-plane service, addressed and keyed by the global options. */
export function clientFor<T extends DescService>(service: T, command: Command): Client<T> {
  const g = globalsOf(command);
  return createServiceClient(service, { address: g.addr, ...(g.apiKey ? { apiKey: g.apiKey } : {}), timeoutMs: g.timeoutMs });
}

/** Defaults from the environment (ORCHESTRATOR_ADDR, ORCHESTRATOR_API_KEY). */
export function envDefaults(): { addr: string; apiKey: string | undefined } {
  const config = loadConfig();
  return { addr: config.addr, apiKey: config.apiKeys[0] };
}
