import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import { ToolArgumentError } from "../tool-argument-error.js";
import type { ToolInputSchema } from "./json-schema.js";

const ajv = new Ajv({ allErrors: true, strict: false });
const compiled = new WeakMap<ToolInputSchema, ValidateFunction>();

/**
 * Checks a tool call's arguments against the tool's input schema and
 * throws ToolArgumentError naming every offending argument and its rule
 * (`to: must have at least 1 character`), so a bad call is refused before
 * anything is sent to a service.
 */
export function checkArguments(schema: ToolInputSchema, args: unknown): Record<string, unknown> {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  const value = args ?? {};
  if (validate(value)) return value as Record<string, unknown>;
  throw new ToolArgumentError((validate.errors ?? []).map(describe));
}

function describe(e: ErrorObject): { field: string; reason: string } {
  const path = e.instancePath.replace(/^\//, "").replaceAll("/", ".");
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case "required":
      return { field: String(p["missingProperty"]), reason: "is required" };
    case "additionalProperties":
      return { field: String(p["additionalProperty"]), reason: "is not an argument of this tool" };
    case "enum":
      return { field: path, reason: `must be one of ${(p["allowedValues"] as unknown[]).join(", ")}` };
    case "minLength":
      return { field: path, reason: `must have at least ${String(p["limit"])} character${p["limit"] === 1 ? "" : "s"}` };
    case "maxLength":
      return { field: path, reason: `must have at most ${String(p["limit"])} characters` };
    case "pattern":
      return { field: path, reason: `must match ${String(p["pattern"])}` };
    default:
      return { field: path || "arguments", reason: e.message ?? e.keyword };
  }
}
