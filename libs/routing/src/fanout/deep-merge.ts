import type { JsonObject, JsonValue } from "@bufbuild/protobuf";

/**
 * Deep-merges `next` into `base`: objects key by key (recursively), arrays
 * concatenated, anything else replaced by `next`. Returns new values and
 * never mutates its inputs. Keys are copied as own data properties, so a
 * `__proto__` key in a result stays data and never reaches a prototype.
 */
export function deepMerge(base: JsonValue, next: JsonValue): JsonValue {
  if (isObject(base) && isObject(next)) {
    const merged = new Map<string, JsonValue>(Object.entries(base));
    for (const [key, value] of Object.entries(next)) {
      const existing = merged.get(key);
      merged.set(key, existing === undefined ? value : deepMerge(existing, value));
    }
    return Object.fromEntries(merged) as JsonObject;
  }
  if (Array.isArray(base) && Array.isArray(next)) return [...base, ...next];
  return next;
}

function isObject(value: JsonValue): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
