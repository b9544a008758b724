import { create } from "@bufbuild/protobuf";
import { ValueSchema, type Duration, type Value } from "@bufbuild/protobuf/wkt";
import { InvalidArgumentError } from "@orchestrator/errors";

/** Deepest JSON nesting accepted in a payload. */
const MAX_DEPTH = 64;

/** JSON null, for a payload the request left out. */
const NULL_VALUE: Value = create(ValueSchema, { kind: { case: "nullValue", value: 0 } });

/**
 * Checks that a google.protobuf.Value is a JSON value all the way down and
 * returns it (JSON null when absent): every node of a known kind (a binary
 * client can send a Value with none), numbers finite. Connect JSON and
 * grpcurl bodies always pass; the check is for binary clients. Throws
 * InvalidArgumentError naming the field path, e.g. `payload.items[2]`.
 */
export function checkJsonValue(value: Value | undefined, field: string): Value {
  if (!value) return NULL_VALUE;
  // Checked first without building a path per node; only a bad value is walked again to name where.
  if (!isJson(value, 0)) check(value, field, 0);
  return value;
}

/** Whether `value` passes `check`, allocating nothing. */
function isJson(value: Value, depth: number): boolean {
  if (depth > MAX_DEPTH) return false;
  const kind = value.kind;
  switch (kind.case) {
    case "nullValue":
    case "stringValue":
    case "boolValue":
      return true;
    case "numberValue":
      return Number.isFinite(kind.value);
    case "structValue": {
      const fields = kind.value.fields;
      for (const key in fields) if (!isJson(fields[key]!, depth + 1)) return false;
      return true;
    }
    case "listValue":
      for (const child of kind.value.values) if (!isJson(child, depth + 1)) return false;
      return true;
    default:
      return false;
  }
}

function check(value: Value, path: string, depth: number): void {
  if (depth > MAX_DEPTH) throw new InvalidArgumentError(path, `nests deeper than ${MAX_DEPTH} levels`);
  const kind = value.kind;
  switch (kind.case) {
    case "nullValue":
    case "stringValue":
    case "boolValue":
      return;
    case "numberValue":
      if (!Number.isFinite(kind.value)) throw new InvalidArgumentError(path, "must be JSON: numbers must be finite (no NaN or Infinity)");
      return;
    case "structValue":
      for (const [key, child] of Object.entries(kind.value.fields)) check(child, `${path}.${key}`, depth + 1);
      return;
    case "listValue":
      kind.value.values.forEach((child, i) => check(child, `${path}[${i}]`, depth + 1));
      return;
    default:
      throw new InvalidArgumentError(path, "must be a JSON value (null, number, string, boolean, object or list); the value has no kind set");
  }
}

/** A Duration in milliseconds; undefined when unset (the rules in the proto keep it positive). */
export function durationMs(duration: Duration | undefined): number | undefined {
  if (!duration) return undefined;
  return Number(duration.seconds) * 1000 + duration.nanos / 1e6;
}

/** Milliseconds → google.protobuf.Duration init. */
export function msToDuration(ms: number): { seconds: bigint; nanos: number } {
  const whole = Math.floor(ms);
  return { seconds: BigInt(Math.floor(whole / 1000)), nanos: Math.round((ms - Math.floor(whole / 1000) * 1000) * 1e6) };
}
