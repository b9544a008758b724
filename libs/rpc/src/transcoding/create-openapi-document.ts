import { ScalarType, type DescField, type DescMessage } from "@bufbuild/protobuf";
import type { HttpBinding } from "./http-bindings.js";

/** A JSON Schema (OpenAPI 3.1 dialect), as plain JSON. */
type Schema = Record<string, unknown>;

/** The JSON mapping of the well-known types our contracts use. */
const WELL_KNOWN: Readonly<Record<string, Schema>> = {
  "google.protobuf.Value": { description: "Any JSON value." },
  "google.protobuf.Struct": { type: "object", additionalProperties: true },
  "google.protobuf.ListValue": { type: "array", items: {} },
  "google.protobuf.Duration": { type: "string", pattern: "^-?[0-9]+(\\.[0-9]{1,9})?s$", examples: ["10s", "1.5s"] },
  "google.protobuf.Timestamp": { type: "string", format: "date-time" },
  "google.protobuf.Empty": { type: "object" },
};

function scalarSchema(scalar: ScalarType): Schema {
  switch (scalar) {
    case ScalarType.STRING:
      return { type: "string" };
    case ScalarType.BOOL:
      return { type: "boolean" };
    case ScalarType.BYTES:
      return { type: "string", contentEncoding: "base64" };
    case ScalarType.DOUBLE:
      return { type: "number", format: "double" };
    case ScalarType.FLOAT:
      return { type: "number", format: "float" };
    case ScalarType.INT64:
    case ScalarType.SINT64:
    case ScalarType.SFIXED64:
      return { type: "string", format: "int64", description: "A 64-bit integer: a decimal string (a JSON number is accepted too)." };
    case ScalarType.UINT64:
    case ScalarType.FIXED64:
      return { type: "string", format: "uint64", description: "A 64-bit integer: a decimal string (a JSON number is accepted too)." };
    case ScalarType.UINT32:
    case ScalarType.FIXED32:
      return { type: "integer", format: "uint32", minimum: 0 };
    default:
      return { type: "integer", format: "int32" };
  }
}

const ref = (message: DescMessage): Schema => ({ $ref: `#/components/schemas/${message.typeName}` });

/** Collects message schemas in components as fields reach them. */
class SchemaSet {
  readonly schemas: Record<string, Schema> = {};

  message(message: DescMessage): Schema {
    const known = WELL_KNOWN[message.typeName];
    if (known) return known;
    if (!(message.typeName in this.schemas)) {
      const properties: Record<string, Schema> = {};
      this.schemas[message.typeName] = { type: "object", properties, additionalProperties: false };
      for (const field of message.fields) properties[field.jsonName] = this.field(field);
    }
    return ref(message);
  }

  field(field: DescField): Schema {
    switch (field.fieldKind) {
      case "scalar":
        return scalarSchema(field.scalar);
      case "enum":
        return { type: "string", enum: field.enum.values.map((v) => v.name) };
      case "message":
        return this.message(field.message);
      case "list":
        return {
          type: "array",
          items: field.listKind === "scalar" ? scalarSchema(field.scalar) : field.listKind === "enum" ? { type: "string", enum: field.enum.values.map((v) => v.name) } : this.message(field.message),
        };
      case "map":
        return {
          type: "object",
          additionalProperties:
            field.mapKind === "scalar" ? scalarSchema(field.scalar) : field.mapKind === "enum" ? { type: "string", enum: field.enum.values.map((v) => v.name) } : this.message(field.message),
        };
    }
  }
}

/** Fields a query string can carry (see requestJson). */
function queryable(field: DescField): boolean {
  if (field.fieldKind === "map") return false;
  if (field.fieldKind === "list") return field.listKind !== "message";
  if (field.fieldKind === "message") return field.message.typeName.startsWith("google.protobuf.");
  return true;
}

const ERROR_SCHEMA: Schema = {
  type: "object",
  required: ["code", "message"],
  properties: {
    code: { type: "string", description: "The gRPC code's name: invalid_argument, unauthenticated, not_found, unavailable, ..." },
    message: { type: "string" },
    reason: { type: "string", description: "Machine-readable cause (google.rpc.ErrorInfo): unknown_instance, instance_down, missing_api_key, malformed_json, ..." },
    field: { type: "string", description: "The first bad request field, when one is to blame." },
    violations: { type: "array", items: { type: "object", properties: { field: { type: "string" }, description: { type: "string" } } } },
    metadata: { type: "object", additionalProperties: { type: "string" } },
  },
};

/**
 * The OpenAPI 3.1 document of HTTP bindings (see httpBindings): one
 * operation per binding (`operationId` `Service_Method`, plus `_N` for
 * additional bindings), path and query parameters, the JSON request body,
 * the response (its `response_body` field alone when declared), the error
 * body, and Bearer auth; message schemas follow protobuf's JSON mapping
 * (camelCase names, 64-bit integers as strings, enums as names, Duration
 * as "10s"). Deterministic: the same bindings give the same document, which
 * is what `docs/openapi.json` holds and what servers answer at
 * /api/openapi.json.
 */
export function createOpenapiDocument(bindings: readonly HttpBinding[]): Record<string, unknown> {
  const set = new SchemaSet();
  const paths: Record<string, Record<string, unknown>> = {};
  const seen = new Map<string, number>();
  for (const binding of bindings) {
    const { rpc } = binding;
    const base = `${rpc.parent.name}_${rpc.name}`;
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    const parameters: Schema[] = binding.pathFields.map((f) => ({ name: f.name, in: "path", required: true, schema: set.field(f) }));
    if (binding.body !== "*") {
      for (const f of rpc.input.fields) {
        if (binding.pathFields.includes(f) || f.name === binding.body || !queryable(f)) continue;
        parameters.push({ name: f.jsonName, in: "query", required: false, schema: set.field(f), ...(f.fieldKind === "list" ? { explode: true } : {}) });
      }
    }
    const bodyField = binding.body !== "" && binding.body !== "*" ? rpc.input.fields.find((f) => f.name === binding.body) : undefined;
    const requestSchema = binding.body === "*" ? set.message(rpc.input) : bodyField ? set.field(bodyField) : undefined;
    const responseSchema = binding.responseBody ? set.field(binding.responseBody) : set.message(rpc.output);
    const operation: Record<string, unknown> = {
      operationId: n === 0 ? base : `${base}_${n + 1}`,
      tags: [rpc.parent.typeName],
      summary: `${rpc.parent.typeName}/${rpc.name}`,
      ...(parameters.length > 0 ? { parameters } : {}),
      ...(requestSchema ? { requestBody: { required: true, content: { "application/json": { schema: requestSchema } } } } : {}),
      responses: {
        "200": { description: binding.responseBody ? `${rpc.output.typeName}.${binding.responseBody.name}` : rpc.output.typeName, content: { "application/json": { schema: responseSchema } } },
        default: { description: "An error: the HTTP status of its gRPC code.", content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } },
      },
    };
    (paths[binding.path] ??= {})[binding.verb.toLowerCase()] = operation;
  }
  const schemas = Object.fromEntries(Object.entries({ ...set.schemas, Error: ERROR_SCHEMA }).sort(([a], [b]) => a.localeCompare(b)));
  return {
    openapi: "3.1.0",
    info: {
      title: "orchestrator",
      version: "v1",
      description:
        "HTTP/JSON transcoding of the orchestrator's gRPC services, generated from the google.api.http annotations in proto/. Send `Authorization: Bearer <key>` when the server has API keys. Request and response bodies follow protobuf's JSON mapping; the same RPCs answer Connect JSON at /<service>/<method>.",
    },
    security: [{ bearer: [] }],
    paths: Object.fromEntries(Object.entries(paths).sort(([a], [b]) => a.localeCompare(b))),
    components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } }, schemas },
  };
}
