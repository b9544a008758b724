import { getOption, hasOption, ScalarType, type DescField, type DescMessage } from "@bufbuild/protobuf";
import { field as fieldRules, type FieldRules } from "@bufbuild/protovalidate/gen/buf/validate/validate_pb.js";
import type { JsonSchema } from "./json-schema.js";

/** RFC 4122 text form; what protovalidate's `string.uuid` accepts. */
const UUID = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";

/**
 * The JSON Schema of one request field, taken from its type and its
 * protovalidate rules in the .proto (the rules the service enforces): string
 * lengths, patterns, `in` lists and `this in [...]` CEL enumerations become
 * minLength/maxLength/pattern/enum; integer bounds become minimum/maximum;
 * repeated rules become minItems/maxItems/uniqueItems and item schemas;
 * google.protobuf.Value is any JSON value; a Duration becomes whole seconds
 * bounded like the rule. So a tool rejects what the service would reject,
 * before any call, and its schema cannot drift from the contract.
 */
export function protoFieldSchema(message: DescMessage, name: string, description: string): JsonSchema {
  const field = message.fields.find((f) => f.name === name);
  if (!field) throw new Error(`${message.typeName} has no field ${name}`);
  const rules = hasOption(field, fieldRules) ? getOption(field, fieldRules) : undefined;
  return { ...fieldSchema(field, rules), description };
}

function fieldSchema(field: DescField, rules: FieldRules | undefined): JsonSchema {
  switch (field.fieldKind) {
    case "scalar":
      return scalarSchema(field.scalar, rules);
    case "list": {
      const repeated = rules?.type.case === "repeated" ? rules.type.value : undefined;
      const items = field.listKind === "scalar" ? scalarSchema(field.scalar, repeated?.items) : {};
      return {
        type: "array",
        items,
        ...(repeated && repeated.minItems > 0n ? { minItems: Number(repeated.minItems) } : {}),
        ...(repeated && repeated.maxItems > 0n ? { maxItems: Number(repeated.maxItems) } : {}),
        ...(repeated?.unique ? { uniqueItems: true } : {}),
      };
    }
    case "message":
      return messageSchema(field.message, rules);
    default:
      throw new Error(`no JSON Schema for ${field.fieldKind} field ${field.name}`);
  }
}

function scalarSchema(scalar: ScalarType, rules: FieldRules | undefined): JsonSchema {
  switch (scalar) {
    case ScalarType.STRING:
      return stringSchema(rules);
    case ScalarType.BOOL:
      return { type: "boolean" };
    case ScalarType.INT32:
    case ScalarType.UINT32:
      return integerSchema(scalar, rules);
    default:
      throw new Error(`no JSON Schema for scalar type ${ScalarType[scalar]}`);
  }
}

function stringSchema(rules: FieldRules | undefined): JsonSchema {
  const schema: JsonSchema = { type: "string" };
  const s = rules?.type.case === "string" ? rules.type.value : undefined;
  if (s) {
    if (s.minLen > 0n) schema.minLength = Number(s.minLen);
    if (s.maxLen > 0n) schema.maxLength = Number(s.maxLen);
    if (s.pattern) schema.pattern = s.pattern;
    if (s.wellKnown.case === "uuid") schema.pattern = UUID;
    if (s.in.length > 0) schema.enum = s.in.filter((v) => v !== "");
  }
  const listed = rules?.cel.map((c) => celEnumeration(c.expression)).find((values) => values !== undefined);
  if (listed) schema.enum = listed.filter((v) => v !== "");
  return schema;
}

function integerSchema(scalar: ScalarType, rules: FieldRules | undefined): JsonSchema {
  const schema: JsonSchema = { type: "integer" };
  if (scalar === ScalarType.UINT32) schema.minimum = 0;
  const n = rules?.type.case === "int32" || rules?.type.case === "uint32" ? rules.type.value : undefined;
  if (n) {
    if (n.greaterThan.case === "gte") schema.minimum = n.greaterThan.value;
    if (n.greaterThan.case === "gt") schema.minimum = n.greaterThan.value + 1;
    if (n.lessThan.case === "lte") schema.maximum = n.lessThan.value;
    if (n.lessThan.case === "lt") schema.maximum = n.lessThan.value - 1;
  }
  return schema;
}

function messageSchema(message: DescMessage, rules: FieldRules | undefined): JsonSchema {
  switch (message.typeName) {
    case "google.protobuf.Value":
      return {};
    case "google.protobuf.Duration": {
      const schema: JsonSchema = { type: "integer", minimum: 0 };
      const d = rules?.type.case === "duration" ? rules.type.value : undefined;
      if (d?.greaterThan.case === "gt") schema.minimum = Number(d.greaterThan.value.seconds) + 1;
      if (d?.greaterThan.case === "gte") schema.minimum = Number(d.greaterThan.value.seconds);
      if (d?.lessThan.case === "lte") schema.maximum = Number(d.lessThan.value.seconds);
      return schema;
    }
    default:
      throw new Error(`no JSON Schema for message field of type ${message.typeName}`);
  }
}

/** The values of a CEL rule `this in ['a', 'b']` (how the protos enumerate types and priorities), else undefined. */
export function celEnumeration(expression: string): string[] | undefined {
  const m = /^\s*this\s+in\s+\[(.*)\]\s*$/s.exec(expression);
  if (!m) return undefined;
  const values = [...m[1]!.matchAll(/'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"/g)].map((v) => v[1] ?? v[2] ?? "");
  return values.length > 0 ? values : undefined;
}
