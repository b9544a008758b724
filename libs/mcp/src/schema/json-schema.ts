/** The subset of JSON Schema (draft 2020-12) the tools' input schemas use. */
export interface JsonSchema {
  type?: "object" | "string" | "integer" | "boolean" | "array";
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean;
  items?: JsonSchema;
  enum?: string[];
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  default?: unknown;
}

/** A tool's input schema: an object of named arguments. */
export interface ToolInputSchema {
  type: "object";
  properties: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties: false;
}

/** Builds a tool's input schema from its arguments; `required` lists the ones that must be given. */
export function objectSchema(properties: Record<string, JsonSchema>, required: readonly string[] = []): ToolInputSchema {
  return { type: "object", properties, ...(required.length > 0 ? { required: [...required] } : {}), additionalProperties: false };
}
