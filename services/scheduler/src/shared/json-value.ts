import { fromJson, toJson, type JsonValue } from "@bufbuild/protobuf";
import { ValueSchema, type Value } from "@bufbuild/protobuf/wkt";

/** google.protobuf.Value → plain JSON; undefined when the field is unset. */
export function valueToJson(value: Value | undefined): JsonValue | undefined {
  return value === undefined ? undefined : (toJson(ValueSchema, value) as JsonValue);
}

/** Plain JSON → google.protobuf.Value; undefined for undefined/null columns. */
export function jsonToValue(json: unknown): Value | undefined {
  return json === undefined || json === null ? undefined : fromJson(ValueSchema, json as JsonValue);
}
