import { ScalarType, type DescField, type DescMessage, type JsonObject, type JsonValue } from "@bufbuild/protobuf";
import { InvalidArgumentError } from "@orchestrator/errors";
import type { HttpBinding } from "./http-bindings.js";

/** Query values as find-my-way parses them: one string, or an array for a repeated key. */
export type QueryValues = Readonly<Record<string, string | string[] | undefined>>;

/** The request field a JSON or query name means: its proto name (`session_id`) or its JSON name (`sessionId`). */
export function fieldByName(message: DescMessage, name: string): DescField | undefined {
  return message.fields.find((f) => f.name === name || f.jsonName === name);
}

const NUMERIC = new Set([
  ScalarType.DOUBLE, ScalarType.FLOAT, ScalarType.INT64, ScalarType.UINT64, ScalarType.INT32, ScalarType.FIXED64,
  ScalarType.FIXED32, ScalarType.UINT32, ScalarType.SFIXED32, ScalarType.SFIXED64, ScalarType.SINT32, ScalarType.SINT64,
]);

/** One query string value as the JSON the field's type takes (protobuf JSON accepts numbers as strings). */
function scalarFromQuery(field: DescField, scalar: ScalarType | undefined, value: string): JsonValue {
  if (scalar === ScalarType.BOOL) {
    if (value === "true" || value === "") return true; // `?ready` alone means true
    if (value === "false") return false;
    throw new InvalidArgumentError(field.name, `must be true or false, got ${JSON.stringify(value)}`);
  }
  if (scalar !== undefined && NUMERIC.has(scalar) && value.trim() === "") {
    throw new InvalidArgumentError(field.name, "must be a number, got an empty value");
  }
  return value;
}

/** Query parameter values as the JSON of one request field. */
function fromQuery(field: DescField, raw: string | string[]): JsonValue {
  const values = Array.isArray(raw) ? raw : [raw];
  switch (field.fieldKind) {
    case "list":
      if (field.listKind === "message") break;
      return values.map((v) => scalarFromQuery(field, field.listKind === "scalar" ? field.scalar : undefined, v));
    case "scalar":
    case "enum":
    case "message": {
      if (field.fieldKind === "message" && !field.message.typeName.startsWith("google.protobuf.")) break;
      if (values.length !== 1) throw new InvalidArgumentError(field.name, "takes one value, given more than once");
      return scalarFromQuery(field, field.fieldKind === "scalar" ? field.scalar : undefined, values[0]!);
    }
    case "map":
      break;
  }
  throw new InvalidArgumentError(field.name, "cannot be set from the query string; send it in a JSON body");
}

/**
 * The JSON request of an RPC from an HTTP request, as google.api.http maps
 * them: path variables set their fields; with `body: "*"` the JSON body is
 * the whole request (path fields win over the body); with `body: "field"`
 * the body is that field; other fields come from query parameters (by proto
 * or JSON name; repeated fields from repeated keys). Unknown query
 * parameters and a non-object body are INVALID_ARGUMENT naming them.
 */
export function requestJson(binding: HttpBinding, params: Readonly<Record<string, string | undefined>>, query: QueryValues, body: JsonValue | undefined): JsonObject {
  const input = binding.rpc.input;
  let json: JsonObject = {};
  if (binding.body === "*") {
    if (body !== undefined) {
      if (typeof body !== "object" || body === null || Array.isArray(body)) {
        throw new InvalidArgumentError("(body)", `must be a JSON object (the fields of ${input.typeName})`, "malformed_json");
      }
      json = { ...body };
    }
  } else if (binding.body !== "") {
    if (body !== undefined) json[binding.body] = body;
  } else if (body !== undefined) {
    throw new InvalidArgumentError("(body)", `${binding.verb} ${binding.path} takes no body; send the fields as query parameters`, "unexpected_body");
  }
  for (const [name, raw] of Object.entries(query)) {
    if (raw === undefined) continue;
    const field = binding.body === "*" ? undefined : fieldByName(input, name);
    if (!field || field.name === binding.body || binding.pathFields.includes(field)) {
      throw new InvalidArgumentError(name, `unknown query parameter of ${binding.verb} ${binding.path}`, "unknown_field");
    }
    json[field.jsonName] = fromQuery(field, raw);
  }
  for (const field of binding.pathFields) {
    const value = params[field.name];
    if (value !== undefined) {
      for (const key of [field.name, field.jsonName]) delete json[key];
      json[field.jsonName] = scalarFromQuery(field, field.fieldKind === "scalar" ? field.scalar : undefined, value);
    }
  }
  return json;
}
