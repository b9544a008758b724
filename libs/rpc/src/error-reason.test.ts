import { create } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { rpcStatus } from "@orchestrator/contracts";
import { describe, expect, it } from "vitest";
import { errorReason } from "./error-reason.js";

describe("errorReason", () => {
  it("reads ErrorInfo.reason, or undefined", () => {
    const info = create(rpcStatus.ErrorInfoSchema, { reason: "instance_down", domain: "orchestrator" });
    expect(errorReason(new ConnectError("down", Code.Unavailable, undefined, [{ desc: rpcStatus.ErrorInfoSchema, value: info }]))).toBe(
      "instance_down",
    );
    expect(errorReason(new ConnectError("x", Code.Internal))).toBeUndefined();
    expect(errorReason("not an error")).toBeUndefined();
  });
});
