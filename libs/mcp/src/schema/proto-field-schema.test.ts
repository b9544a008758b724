import { CreateGateRequestSchema, ReportActivityRequestSchema, SendRequestSchema } from "@orchestrator/contracts";
import { describe, expect, it } from "vitest";
import { ToolArgumentError } from "../tool-argument-error.js";
import { checkArguments } from "./check-arguments.js";
import { objectSchema } from "./json-schema.js";
import { celEnumeration, protoFieldSchema } from "./proto-field-schema.js";

describe("protoFieldSchema", () => {
  it("takes lengths, patterns and CEL enumerations from the field's protovalidate rules", () => {
    expect(protoFieldSchema(SendRequestSchema, "from", "d")).toEqual({
      type: "string",
      maxLength: 63,
      pattern: "^([A-Za-z0-9]([A-Za-z0-9_.-]*[A-Za-z0-9])?)?$",
      description: "d",
    });
    expect(protoFieldSchema(SendRequestSchema, "priority", "d").enum).toEqual(["normal", "high", "urgent"]);
  });

  it("turns a bounded Duration into whole seconds and a repeated field into a bounded array", () => {
    expect(protoFieldSchema(CreateGateRequestSchema, "timeout", "d")).toEqual({ type: "integer", minimum: 1, maximum: 31_536_000, description: "d" });
    expect(protoFieldSchema(CreateGateRequestSchema, "options", "d")).toMatchObject({ type: "array", maxItems: 32, uniqueItems: true, items: { minLength: 1, maxLength: 256 } });
  });

  it("refuses a field it cannot describe rather than guessing", () => {
    expect(() => protoFieldSchema(ReportActivityRequestSchema, "activity", "d")).toThrow(/no JSON Schema for enum field activity/);
    expect(() => protoFieldSchema(SendRequestSchema, "nope", "d")).toThrow(/has no field nope/);
  });

  it("reads `this in [...]` rules and nothing else", () => {
    expect(celEnumeration("this in ['', 'a', \"b\"]")).toEqual(["", "a", "b"]);
    expect(celEnumeration("this.size() < 3")).toBeUndefined();
  });
});

describe("checkArguments", () => {
  const schema = objectSchema({ to: protoFieldSchema(SendRequestSchema, "to", "d"), type: protoFieldSchema(SendRequestSchema, "type", "d") }, ["to"]);

  it("answers valid arguments", () => {
    expect(checkArguments(schema, { to: "kite-1", type: "handoff" })).toEqual({ to: "kite-1", type: "handoff" });
  });

  it("names every bad argument and its rule", () => {
    const error = (() => {
      try {
        checkArguments(schema, { type: "shout", extra: 1 });
      } catch (e) {
        return e as ToolArgumentError;
      }
    })();
    expect(error).toBeInstanceOf(ToolArgumentError);
    expect(error!.violations).toEqual([
      { field: "to", reason: "is required" },
      { field: "extra", reason: "is not an argument of this tool" },
      { field: "type", reason: "must be one of status, dispatch, worker_done, merge_ready, escalation, handoff, decision_gate" },
    ]);
  });
});
