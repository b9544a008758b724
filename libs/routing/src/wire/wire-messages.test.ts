import { create, equals, fromJson, toBinary } from "@bufbuild/protobuf";
import { ValueSchema } from "@bufbuild/protobuf/wkt";
import { ExecuteRequestSchema, FanoutResponseSchema, ResultStatus, RouteResponseSchema } from "@orchestrator/contracts";
import { describe, expect, it } from "vitest";
import { executeRequest } from "./execute-request.js";
import { fanoutResponseOf } from "./fanout-response.js";
import { routeResponseOf } from "./route-response.js";

describe("routeResponseOf", () => {
  it("builds the message create() would, field for field and byte for byte", () => {
    const result = fromJson(ValueSchema, { echo: { n: 1 } });
    const attempts = [
      { number: 1, instance: "A", code: "UNAVAILABLE", message: "gone", latencyMs: 1234.5 },
      { number: 2, instance: "B", code: "OK", message: "", latencyMs: 0.25 },
    ];
    const built = routeResponseOf({ result, instance: "B", attempts, workId: "w-1" }, "trace");
    const expected = create(RouteResponseSchema, {
      result,
      instance: "B",
      attempts: [
        { number: 1, instance: "A", code: "UNAVAILABLE", message: "gone", latency: { seconds: 1n, nanos: 234_500_000 } },
        { number: 2, instance: "B", code: "OK", message: "", latency: { seconds: 0n, nanos: 250_000 } },
      ],
      traceId: "trace",
      workId: "w-1",
    });
    expect(equals(RouteResponseSchema, built, expected)).toBe(true);
    expect(toBinary(RouteResponseSchema, built)).toEqual(toBinary(RouteResponseSchema, expected));
  });

  it("leaves the result unset when the instance answered none", () => {
    const built = routeResponseOf({ result: undefined, instance: "A", attempts: [], workId: "w" }, "");
    expect(equals(RouteResponseSchema, built, create(RouteResponseSchema, { instance: "A", workId: "w" }))).toBe(true);
    expect("result" in built).toBe(false);
  });
});

describe("executeRequest", () => {
  it("builds the message create() would", () => {
    const payload = fromJson(ValueSchema, [1, "two"]);
    const built = executeRequest("w", payload, 2, { k: "v" });
    const expected = create(ExecuteRequestSchema, { workId: "w", payload, attempt: 2, metadata: { k: "v" } });
    expect(equals(ExecuteRequestSchema, built, expected)).toBe(true);
    expect(toBinary(ExecuteRequestSchema, built)).toEqual(toBinary(ExecuteRequestSchema, expected));
  });
});

describe("fanoutResponseOf", () => {
  it("builds the message create() would", () => {
    const result = fromJson(ValueSchema, { a: 1 });
    const attempt = { number: 1, instance: "A", code: "OK", message: "", latencyMs: 2 };
    const built = fanoutResponseOf(
      {
        aggregate: "all",
        result: fromJson(ValueSchema, [{ a: 1 }]),
        satisfied: false,
        timedOut: true,
        succeeded: 1,
        failed: 1,
        workId: "f-1",
        winner: "",
        outcomes: [
          { instance: "A", status: "ok", code: "OK", message: "", reason: "", result, latencyMs: 2.5, attempts: [attempt] },
          { instance: "B", status: "timeout", code: "DEADLINE_EXCEEDED", message: "late", reason: "timeout", result: undefined, latencyMs: 1000, attempts: [] },
        ],
      },
      "t",
    );
    const expected = create(FanoutResponseSchema, {
      results: [
        {
          instance: "A",
          status: ResultStatus.OK,
          code: "OK",
          result,
          latency: { nanos: 2_500_000 },
          attempts: [{ number: 1, instance: "A", code: "OK", latency: { nanos: 2_000_000 } }],
        },
        { instance: "B", status: ResultStatus.TIMEOUT, code: "DEADLINE_EXCEEDED", message: "late", reason: "timeout", latency: { seconds: 1n } },
      ],
      summary: { aggregate: "all", result: fromJson(ValueSchema, [{ a: 1 }]), timedOut: true, succeeded: 1, failed: 1, traceId: "t", workId: "f-1" },
    });
    expect(equals(FanoutResponseSchema, built, expected)).toBe(true);
    expect(toBinary(FanoutResponseSchema, built)).toEqual(toBinary(FanoutResponseSchema, expected));
  });
});
