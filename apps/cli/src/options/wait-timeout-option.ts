import type { Command } from "commander";
import { globalsOf } from "../globals-of.js";

/**
 * The length of a command's wait (`check --wait`, `terminal wait`) from its
 * `--timeout-ms`. That is also a program-wide option (the call deadline),
 * which commander takes when it appears before the command word; either
 * way it is the wait's length here. `fallback` when neither is given.
 * Throws when it is no whole number.
 */
export function waitTimeoutOption(local: string | undefined, command: Command, fallback: number): number {
  let program = command;
  while (program.parent) program = program.parent;
  const fromParent = program.getOptionValueSource("timeoutMs") === "cli" ? globalsOf(command).timeoutMs : undefined;
  const ms = local !== undefined ? Number(local) : (fromParent ?? fallback);
  if (!Number.isInteger(ms)) throw new Error(`--timeout-ms must be a whole number of milliseconds, got "${local ?? fromParent}"`);
  return ms;
}
