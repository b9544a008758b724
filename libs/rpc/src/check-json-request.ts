import { fromJson, ScalarType, type DescField, type DescMessage, type JsonValue } from "@bufbuild/protobuf";
import type { FieldViolation } from "@orchestrator/errors";

/** Most violations one request reports (the rest are counted by the error's cap). */
const MAX_VIOLATIONS = 20;

/**
 * Checks a JSON request body against its message type the way protobuf JSON
 * does by default (unknown fields are errors), and names every field that
 * does not decode: `timout: unknown field`, `timeout: invalid duration "abc"`,
 * `tasks[2].priority: invalid int32 "high"`. Field paths use proto names
 * (`max_attempts`); an unknown key is named as sent. Empty when the body
 * decodes.
 */
export function checkJsonRequest(desc: DescMessage, json: JsonValue): FieldViolation[] {
  const out: FieldViolation[] = [];
  walk(desc, json, "", out);
  return out.slice(0, MAX_VIOLATIONS);
}

function walk(desc: DescMessage, json: JsonValue, prefix: string, out: FieldViolation[]): void {
  if (out.length >= MAX_VIOLATIONS) return;
  if (desc.typeName.startsWith("google.protobuf.") || typeof json !== "object" || json === null || Array.isArray(json)) {
    if (!decodes(desc, json)) out.push({ field: prefix.replace(/\.$/, "") || "(body)", description: describeBad(desc.typeName, json) });
    return;
  }
  for (const [key, value] of Object.entries(json)) {
    const field = desc.fields.find((f) => f.jsonName === key || f.name === key);
    if (!field) {
      const oneofOrKnown = desc.typeName;
      out.push({ field: `${prefix}${key}`, description: `unknown field: ${oneofOrKnown} has no field "${key}"` });
      continue;
    }
    if (value === null || decodes(desc, { [key]: value })) continue;
    const path = `${prefix}${field.name}`;
    if (field.fieldKind === "message" && typeof value === "object" && !Array.isArray(value)) {
      walk(field.message, value, `${path}.`, out);
    } else if (field.fieldKind === "list" && Array.isArray(value)) {
      value.forEach((item, i) => {
        if (field.listKind === "message") walk(field.message, item, `${path}[${i}].`, out);
        else if (!decodes(desc, { [key]: [item] })) out.push({ field: `${path}[${i}]`, description: describeBad(kindOf(field), item) });
      });
    } else if (field.fieldKind === "map" && typeof value === "object" && !Array.isArray(value)) {
      for (const [k, v] of Object.entries(value)) {
        if (field.mapKind === "message") walk(field.message, v, `${path}[${JSON.stringify(k)}].`, out);
        else if (!decodes(desc, { [key]: { [k]: v } })) out.push({ field: `${path}[${JSON.stringify(k)}]`, description: describeBad(kindOf(field), v) });
      }
    } else {
      out.push({ field: path, description: describeBad(kindOf(field), value) });
    }
    if (out.length >= MAX_VIOLATIONS) return;
  }
}

function decodes(desc: DescMessage, json: JsonValue): boolean {
  try {
    fromJson(desc, json, { ignoreUnknownFields: false });
    return true;
  } catch {
    return false;
  }
}

/** What a field holds, in words: `duration`, `int32`, `enum orchestrator.x.Kind`, `list`, `object`. */
function kindOf(field: DescField): string {
  switch (field.fieldKind) {
    case "scalar":
      return ScalarType[field.scalar].toLowerCase();
    case "enum":
      return `enum ${field.enum.typeName}`;
    case "message":
      return field.message.typeName;
    case "list":
      return field.listKind === "scalar" ? ScalarType[field.scalar].toLowerCase() : field.listKind === "enum" ? `enum ${field.enum.typeName}` : field.message.typeName;
    case "map":
      return field.mapKind === "scalar" ? ScalarType[field.scalar].toLowerCase() : field.mapKind === "enum" ? `enum ${field.enum.typeName}` : field.message.typeName;
  }
}

function describeBad(kind: string, value: JsonValue): string {
  const shown = JSON.stringify(value) ?? "undefined";
  const label = kind.startsWith("google.protobuf.") ? kind.slice("google.protobuf.".length).toLowerCase().replace(/value$/, " value") : kind;
  return `invalid ${label} ${shown.length > 60 ? `${shown.slice(0, 59)}…` : shown}`;
}
