import { create, toBinary } from "@bufbuild/protobuf";
import { grpcHealth } from "@orchestrator/contracts";
import { describe, expect, it } from "vitest";
import { preEncode, preEncodedBytes } from "./pre-encode.js";

describe("preEncode", () => {
  it("remembers the message's bytes as toBinary makes them, and answers the message itself", () => {
    const message = create(grpcHealth.HealthCheckResponseSchema, { status: grpcHealth.HealthCheckResponse_ServingStatus.SERVING });
    expect(preEncode(grpcHealth.HealthCheckResponseSchema, message)).toBe(message);
    expect(preEncodedBytes(message)).toEqual(toBinary(grpcHealth.HealthCheckResponseSchema, message));
  });

  it("knows nothing of other messages or non-objects", () => {
    const other = create(grpcHealth.HealthCheckResponseSchema, {});
    expect(preEncodedBytes(other)).toBeUndefined();
    expect(preEncodedBytes(undefined)).toBeUndefined();
    expect(preEncodedBytes("x")).toBeUndefined();
  });
});
