import { readFileSync } from "node:fs";
import type { Command, Option } from "commander";

/** How a command reads `--config FILE`. */
export interface ConfigFileSettings {
  /** Keys holding JSON (payload, data): any JSON value, handed to the option as JSON text. */
  readonly jsonKeys?: readonly string[];
  /** Other names a key may have (`{targets: "instances"}` on route), to the option's name. */
  readonly aliases?: Readonly<Record<string, string>>;
}

/** Adds `--config <file>` to `command` (call applyConfigFile at the start of its action). */
export function addConfigOption(command: Command): Command {
  return command.option("--config <file>", "a JSON file of option values, e.g. {\"instances\": [\"A\"], \"timeout\": 5}; flags given on the command line win");
}

const camel = (name: string) => name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/**
 * `--config FILE`, as the openclaw skill has it: a JSON object whose keys
 * are the command's option names (`instances`, `payload`, `timeout`,
 * `aggregate`, `retry`, ...; camelCase or kebab-case) fills every option not
 * given on the command line (a flag always wins). Values are read as if
 * typed: `"timeout": 5` is `--timeout 5` (five seconds), `"instances":
 * ["A", "B"]` is `--instances A B`, `"aggregate": true` is `--aggregate
 * true`, and JSON keys take any JSON value. Throws naming the file and
 * the key when the file is unreadable, not a JSON object, or has a key the
 * command does not know. Does nothing without `--config`.
 */
export function applyConfigFile(command: Command, settings: ConfigFileSettings = {}): void {
  const file = command.getOptionValue("config") as string | undefined;
  if (file === undefined) return;
  const values = readConfig(file);
  const options = command.options.filter((o) => o.long && o.long !== "--config" && o.long !== "--help");
  for (const [rawKey, value] of Object.entries(values)) {
    const key = settings.aliases?.[rawKey] ?? rawKey;
    const option = options.find((o) => o.attributeName() === camel(key) || o.long === `--${key}`);
    if (!option) {
      throw new Error(`--config ${file}: unknown key "${rawKey}"; this command takes ${options.map((o) => o.long!.slice(2)).join(", ")}`);
    }
    const name = option.attributeName();
    if (command.getOptionValueSource(name) === "cli") continue;
    command.setOptionValueWithSource(name, optionValue(option, value, settings.jsonKeys?.includes(key) ?? false, file, rawKey), "config");
  }
}

function readConfig(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new Error(`--config: cannot read ${file}: ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`--config ${file}: not valid JSON (${(error as Error).message})`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new Error(`--config ${file}: must be a JSON object of option values, e.g. {"instances": ["A"], "timeout": 5}`);
  }
  return parsed as Record<string, unknown>;
}

/** The value commander would hold had the option been typed with `value`. */
function optionValue(option: Option, value: unknown, json: boolean, file: string, key: string): unknown {
  if (json) return JSON.stringify(value);
  if (option.variadic) {
    const items = Array.isArray(value) ? value : [value];
    return items.map((item) => scalar(item, file, key));
  }
  if (!option.required && !option.optional) {
    if (typeof value !== "boolean") throw new Error(`--config ${file}: "${key}" must be true or false`);
    const negatedKey = option.negate && (key === option.long!.slice(2) || key === camel(option.long!.slice(2)));
    return negatedKey ? !value : value;
  }
  if (typeof value === "object" && value !== null && !Array.isArray(value)) return value; // a collector's map (metadata)
  const text = scalar(value, file, key);
  return option.parseArg ? option.parseArg(text, undefined) : text;
}

function scalar(value: unknown, file: string, key: string): string {
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return String(value);
  throw new Error(`--config ${file}: "${key}" must be a string, a number or true/false`);
}
