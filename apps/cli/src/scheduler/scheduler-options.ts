import { fromJson } from "@bufbuild/protobuf";
import { ValueSchema, type Value } from "@bufbuild/protobuf/wkt";
import { parseJsonOption } from "../router/parse-json-option.js";

/** A JSON flag as a google.protobuf.Value, or undefined when the flag is absent. */
export function jsonValueOption(flag: string, text: string | undefined): Value | undefined {
  return text === undefined ? undefined : fromJson(ValueSchema, parseJsonOption(text, flag));
}

/** A list flag: a JSON array of strings (`'["a","b"]'`) or a comma-separated list (`a,b`). */
export function listOption(flag: string, text: string | undefined): string[] {
  if (text === undefined || text.trim() === "") return [];
  const trimmed = text.trim();
  if (trimmed.startsWith("[")) {
    const value = parseJsonOption(trimmed, flag);
    if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) throw new Error(`${flag}: must be a JSON array of strings`);
    return value as string[];
  }
  return trimmed
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

/** A whole-number flag, naming the flag when it is not one. */
export function intOption(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n)) throw new Error(`${flag}: must be a whole number, got "${text}"`);
  return n;
}
