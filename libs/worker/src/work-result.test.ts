import { create, equals, fromJson, toBinary } from "@bufbuild/protobuf";
import { ValueSchema } from "@bufbuild/protobuf/wkt";
import { WorkRequestSchema } from "@orchestrator/contracts";
import { describe, expect, it } from "vitest";
import { workError, workResult } from "./work-result.js";

describe("workResult", () => {
  it("builds the message create() would for a result, field for field and byte for byte", () => {
    const value = fromJson(ValueSchema, { ok: [1, "two"] });
    const built = workResult("d-1", { case: "result", value });
    const expected = create(WorkRequestSchema, { kind: { case: "result", value: { id: "d-1", outcome: { case: "result", value } } } });
    expect(equals(WorkRequestSchema, built, expected)).toBe(true);
    expect(toBinary(WorkRequestSchema, built)).toEqual(toBinary(WorkRequestSchema, expected));
  });

  it("builds the message create() would for an error", () => {
    const built = workResult("d-2", workError(14, "gone"));
    const expected = create(WorkRequestSchema, { kind: { case: "result", value: { id: "d-2", outcome: { case: "error", value: { code: 14, message: "gone" } } } } });
    expect(equals(WorkRequestSchema, built, expected)).toBe(true);
    expect(toBinary(WorkRequestSchema, built)).toEqual(toBinary(WorkRequestSchema, expected));
  });
});
