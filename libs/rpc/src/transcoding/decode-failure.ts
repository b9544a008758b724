import { fromJson, ScalarType, type DescField, type DescMessage, type JsonObject } from "@bufbuild/protobuf";
import { InvalidArgumentError } from "@orchestrator/errors";
import { fieldByName } from "./request-json.js";

const WELL_KNOWN: Readonly<Record<string, string>> = {
  "google.protobuf.Value": "any JSON value",
  "google.protobuf.Struct": "a JSON object",
  "google.protobuf.ListValue": "a JSON array",
  "google.protobuf.Duration": 'a duration string such as "10s" or "1.5s"',
  "google.protobuf.Timestamp": 'an RFC 3339 timestamp such as "2026-01-02T03:04:05Z"',
};

function scalarType(scalar: ScalarType): string {
  switch (scalar) {
    case ScalarType.STRING:
      return "a string";
    case ScalarType.BOOL:
      return "true or false";
    case ScalarType.BYTES:
      return "a base64 string";
    case ScalarType.INT64:
    case ScalarType.UINT64:
    case ScalarType.SINT64:
    case ScalarType.FIXED64:
    case ScalarType.SFIXED64:
      return "an integer (a number or a decimal string)";
    case ScalarType.DOUBLE:
    case ScalarType.FLOAT:
      return "a number";
    default:
      return "an integer in range";
  }
}

/** What JSON a field takes, in words: "a list of strings", 'a duration string such as "10s"'. */
function expected(field: DescField): string {
  switch (field.fieldKind) {
    case "scalar":
      return scalarType(field.scalar);
    case "enum":
      return `one of ${field.enum.values.map((v) => v.name).join(", ")}`;
    case "message":
      return WELL_KNOWN[field.message.typeName] ?? `a JSON object (${field.message.typeName})`;
    case "list":
      return field.listKind === "scalar" ? `a JSON array of ${scalarType(field.scalar).replace(/^an? /, "")} values` : "a JSON array";
    case "map":
      return "a JSON object";
  }
}

/**
 * Names the field protobuf-es could not decode from `json` into `message`
 * (connect-es reports only "cannot decode message ... from JSON"): an unknown
 * member is `unknown_field`, a member of the wrong type `invalid_argument`
 * saying what the field takes. Each top-level member is decoded alone to
 * find it; undefined when every member decodes alone.
 */
export function decodeFailure(message: DescMessage, json: JsonObject): InvalidArgumentError | undefined {
  for (const [key, value] of Object.entries(json)) {
    const field = fieldByName(message, key);
    if (!field) return new InvalidArgumentError(key, `unknown field of ${message.typeName}`, "unknown_field");
    try {
      fromJson(message, { [key]: value });
    } catch {
      const given = JSON.stringify(value) ?? "undefined";
      return new InvalidArgumentError(field.name, `must be ${expected(field)}, got ${given.length > 80 ? `${given.slice(0, 77)}...` : given}`);
    }
  }
  return undefined;
}
