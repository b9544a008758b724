import type { Command } from "commander";
import { loadClientConfig } from "@orchestrator/config/client";

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

/** Defaults from the environment (ORCHESTRATOR_ADDR, ORCHESTRATOR_API_KEY). */
export function envDefaults(): { addr: string; apiKey: string | undefined } {
  const config = loadClientConfig();
  return { addr: config.addr, apiKey: config.apiKey };
}
