import { InvalidArgumentError } from "@orchestrator/errors";
import { describe, expect, it } from "vitest";
import { requireHandle, validateContent } from "./validate-content.js";

const limits = { maxBodyBytes: 10, maxPayloadBytes: 20 };
const defaults = { type: "status" as const, priority: "normal" as const };
const draft = { subject: "s", body: "", type: "", priority: "", payload: "" };

function violations(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof InvalidArgumentError || (err as { violations?: unknown }).violations) {
      return (err as InvalidArgumentError).violations.map((v) => v.field);
    }
    throw err;
  }
  return [];
}

describe("validateContent", () => {
  it("applies defaults and keeps the payload text exactly", () => {
    expect(validateContent({ ...draft, payload: '{ "b": 1, "a": 2 }' }, limits, defaults)).toEqual({
      subject: "s",
      body: "",
      type: "status",
      priority: "normal",
      payload: '{ "b": 1, "a": 2 }',
    });
  });

  it("names every broken rule at once", () => {
    const fields = violations(() =>
      validateContent({ subject: "", body: "ééééééé", type: "done", priority: "p0", payload: "{x}", threadId: "a b" }, limits, defaults),
    );
    expect(fields.sort()).toEqual(["body", "payload", "priority", "subject", "thread_id", "type"]);
  });

  it("counts body and payload limits in UTF-8 bytes", () => {
    expect(violations(() => validateContent({ ...draft, body: "x".repeat(10) }, limits, defaults))).toEqual([]);
    expect(violations(() => validateContent({ ...draft, body: "é".repeat(6) }, limits, defaults))).toEqual(["body"]);
    expect(violations(() => validateContent({ ...draft, payload: JSON.stringify("x".repeat(30)) }, limits, defaults))).toEqual(["payload"]);
  });

  it("checks handles", () => {
    expect(() => requireHandle("kite-1", "from")).not.toThrow();
    expect(() => requireHandle("-bad", "from")).toThrow(/from: "-bad" is not a valid handle/);
  });
});
