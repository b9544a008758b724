import { create, equals, fromJson, toBinary } from "@bufbuild/protobuf";
import { durationFromMs, ValueSchema } from "@bufbuild/protobuf/wkt";
import { WorkResponseSchema } from "@orchestrator/contracts";
import { describe, expect, it } from "vitest";
import { assignmentMessage, cancelMessage } from "./work-messages.js";

const same = (built: ReturnType<typeof cancelMessage>, expected: ReturnType<typeof cancelMessage>) => {
  expect(equals(WorkResponseSchema, built, expected)).toBe(true);
  expect(toBinary(WorkResponseSchema, built)).toEqual(toBinary(WorkResponseSchema, expected));
};

describe("assignmentMessage", () => {
  it("builds the message create() would, field for field and byte for byte", () => {
    for (const timeoutMs of [30_000, 1500, 0.5, 1]) {
      const payload = fromJson(ValueSchema, { n: [1, "two", null] });
      const request = { workId: "t-1", payload, attempt: 2, metadata: { task_id: "t-1", run_id: "r" } };
      const built = assignmentMessage({ id: "d-1", request, timeoutMs, traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01" });
      const expected = create(WorkResponseSchema, {
        kind: { case: "assignment", value: { id: "d-1", request, timeout: durationFromMs(timeoutMs), traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01" } },
      });
      same(built, expected);
    }
  });

  it("sends no traceparent as the empty string, and a request without a payload message through create()", () => {
    same(
      assignmentMessage({ id: "d-2", request: { workId: "t-2" }, timeoutMs: 10, traceparent: null }),
      create(WorkResponseSchema, { kind: { case: "assignment", value: { id: "d-2", request: { workId: "t-2" }, timeout: durationFromMs(10), traceparent: "" } } }),
    );
  });
});

describe("cancelMessage", () => {
  it("builds the message create() would", () => {
    same(cancelMessage("d-3"), create(WorkResponseSchema, { kind: { case: "cancel", value: { id: "d-3" } } }));
  });
});
