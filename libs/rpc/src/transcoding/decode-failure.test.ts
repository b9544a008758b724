import { RouteRequestSchema, SpawnSessionRequestSchema } from "@orchestrator/contracts";
import { describe, expect, it } from "vitest";
import { decodeFailure } from "./decode-failure.js";

describe("decodeFailure", () => {
  it("names the member of the wrong type and what the field takes", () => {
    const err = decodeFailure(RouteRequestSchema, { instances: "A", payload: { data: 1 } });
    expect(err?.violations).toEqual([{ field: "instances", description: 'must be a JSON array of string values, got "A"' }]);
    expect(decodeFailure(SpawnSessionRequestSchema, { ttl: 30 })?.violations[0]).toMatchObject({ field: "ttl", description: expect.stringContaining("duration") });
  });

  it("names an unknown member", () => {
    expect(decodeFailure(RouteRequestSchema, { instance: ["A"] })).toMatchObject({ reason: "unknown_field", violations: [{ field: "instance" }] });
  });

  it("finds nothing when every member decodes", () => {
    expect(decodeFailure(RouteRequestSchema, { instances: ["A"], max_attempts: 2 })).toBeUndefined();
  });
});
