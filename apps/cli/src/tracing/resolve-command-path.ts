import type { Command } from "commander";

/**
 * The subcommand names `args` (argv without node and the script) select,
 * e.g. `["instances", "register"]` for `--addr X instances register -n A`;
 * empty when no subcommand is named or help is asked for. Resolved before
 * parsing, from commander's public option and command lists, so the CLI can
 * decide how to trace a command before it runs.
 */
export function resolveCommandPath(program: Command, args: readonly string[]): string[] {
  const path: string[] = [];
  const scopes: Command[] = [program];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--") break;
    if (arg === "--help" || arg === "-h") return [];
    if (arg.startsWith("-")) {
      if (!arg.includes("=") && takesValue(scopes, arg)) i++;
      continue;
    }
    const command = scopes[scopes.length - 1]!;
    const sub = command.commands.find((c) => c.name() === arg || c.aliases().includes(arg));
    if (!sub) break;
    path.push(sub.name());
    scopes.push(sub);
  }
  return path;
}

/** Whether `flag` is an option of a command in scope (globals are accepted after subcommands too) that takes a value. */
function takesValue(scopes: readonly Command[], flag: string): boolean {
  for (const command of scopes) {
    const option = command.options.find((o) => o.long === flag || o.short === flag);
    if (option) return option.required || option.optional;
  }
  return false;
}
