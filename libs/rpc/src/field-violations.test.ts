import { create } from "@bufbuild/protobuf";
import { ViolationsSchema } from "@bufbuild/protovalidate/gen/buf/validate/validate_pb.js";
import { Code, ConnectError } from "@connectrpc/connect";
import { rpcStatus } from "@orchestrator/contracts";
import { describe, expect, it } from "vitest";
import { fieldViolations } from "./field-violations.js";

describe("fieldViolations", () => {
  it("reads google.rpc.BadRequest", () => {
    const badRequest = create(rpcStatus.BadRequestSchema, { fieldViolations: [{ field: "pool", description: "too long" }] });
    const err = new ConnectError("bad", Code.InvalidArgument, undefined, [{ desc: rpcStatus.BadRequestSchema, value: badRequest }]);
    expect(fieldViolations(err)).toEqual([{ field: "pool", description: "too long" }]);
  });

  it("falls back to buf.validate.Violations, rendering field paths", () => {
    const violations = create(ViolationsSchema, {
      violations: [
        {
          ruleId: "string.min_len",
          message: "must be at least 1 characters",
          field: {
            elements: [
              { fieldName: "labels", subscript: { case: "stringKey", value: "env" } },
            ],
          },
        },
        {
          ruleId: "string.max_len",
          message: "",
          field: {
            elements: [
              { fieldName: "instances", subscript: { case: "index", value: 2n } },
              { fieldName: "name" },
            ],
          },
        },
      ],
    });
    const err = new ConnectError("bad", Code.InvalidArgument, undefined, [{ desc: ViolationsSchema, value: violations }]);
    expect(fieldViolations(err)).toEqual([
      { field: 'labels["env"]', description: "must be at least 1 characters" },
      { field: "instances[2].name", description: "string.max_len" },
    ]);
  });

  it("is empty for errors without violations and for non-Connect errors", () => {
    expect(fieldViolations(new ConnectError("x", Code.Internal))).toEqual([]);
    expect(fieldViolations(new Error("x"))).toEqual([]);
    expect(fieldViolations(undefined)).toEqual([]);
  });
});
