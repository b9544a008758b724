import type { JsonObject, JsonValue } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";

/** The `demo` object of a demo payload, checked. */
export interface DemoDirective {
  delayMs?: number;
  fail?: number;
  key?: string;
  code?: Code;
  hang?: boolean;
  crash?: boolean;
  stats?: boolean;
}

/** Longest accepted `demo.delayMs`: one hour. */
const MAX_DELAY_MS = 3_600_000;

/**
 * Reads `payload.demo` when the payload is an object holding a `demo` object;
 * undefined otherwise (the handler then just echoes). Throws ConnectError
 * INVALID_ARGUMENT naming the field when a known field has the wrong type.
 */
export function readDemoDirective(payload: JsonValue): DemoDirective | undefined {
  if (!isObject(payload) || !isObject(payload["demo"])) return undefined;
  const demo = payload["demo"];
  const directive: DemoDirective = {};
  const bad = (field: string, rule: string): never => {
    throw new ConnectError(`payload.demo.${field}: ${rule}`, Code.InvalidArgument);
  };
  if (demo["delayMs"] !== undefined) {
    const delay = demo["delayMs"];
    if (typeof delay !== "number" || !(delay >= 0 && delay <= MAX_DELAY_MS)) bad("delayMs", `must be a number from 0 to ${MAX_DELAY_MS}`);
    directive.delayMs = delay as number;
  }
  if (demo["fail"] !== undefined) {
    const fail = demo["fail"];
    if (typeof fail !== "number" || !Number.isInteger(fail) || fail < 0) bad("fail", "must be a non-negative integer");
    directive.fail = fail as number;
  }
  if (demo["key"] !== undefined) {
    if (typeof demo["key"] !== "string") bad("key", "must be a string");
    directive.key = demo["key"] as string;
  }
  if (demo["code"] !== undefined) {
    const code = typeof demo["code"] === "string" ? codeFromName(demo["code"]) : undefined;
    if (code === undefined) bad("code", "must be a gRPC code name such as unavailable or resource_exhausted");
    directive.code = code;
  }
  for (const flag of ["hang", "crash", "stats"] as const) {
    if (demo[flag] === undefined) continue;
    if (typeof demo[flag] !== "boolean") bad(flag, "must be a boolean");
    directive[flag] = demo[flag] as boolean;
  }
  return directive;
}

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `unavailable`, `UNAVAILABLE`, `resource_exhausted`, `cancelled` → the Code; undefined for unknown names and OK. */
function codeFromName(name: string): Code | undefined {
  const normalized = name.toLowerCase().replace(/_/g, "");
  if (normalized === "cancelled") return Code.Canceled;
  for (const [key, value] of Object.entries(Code)) {
    if (typeof value === "number" && key.toLowerCase() === normalized) return value;
  }
  return undefined;
}
