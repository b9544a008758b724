import { Code } from "@connectrpc/connect";
import { rpcStatus } from "@orchestrator/contracts";
import { AlreadyExistsError, DomainError, type ErrorStatus, InvalidArgumentError, ResourceExhaustedError } from "@orchestrator/errors";
import { describe, expect, it } from "vitest";
import { toConnectError } from "./to-connect-error.js";

describe("toConnectError", () => {
  it.each<[ErrorStatus, Code]>([
    ["invalid_argument", Code.InvalidArgument],
    ["not_found", Code.NotFound],
    ["already_exists", Code.AlreadyExists],
    ["failed_precondition", Code.FailedPrecondition],
    ["resource_exhausted", Code.ResourceExhausted],
    ["unavailable", Code.Unavailable],
    ["deadline_exceeded", Code.DeadlineExceeded],
    ["aborted", Code.Aborted],
    ["permission_denied", Code.PermissionDenied],
    ["unauthenticated", Code.Unauthenticated],
    ["internal", Code.Internal],
  ])("maps %s to code %i", (status, code) => {
    expect(toConnectError(new DomainError(status, "r", "m")).code).toBe(code);
  });

  it("carries the message and ErrorInfo, without BadRequest when there are no violations", () => {
    const err = toConnectError(new ResourceExhaustedError("no_idle_instance", "no idle instance in pool kite", { pool: "kite" }));
    expect(err.rawMessage).toBe("no idle instance in pool kite");
    expect(err.findDetails(rpcStatus.ErrorInfoSchema).map((i) => [i.reason, i.domain, i.metadata])).toEqual([
      ["no_idle_instance", "orchestrator", { pool: "kite" }],
    ]);
    expect(err.findDetails(rpcStatus.BadRequestSchema)).toEqual([]);
  });

  it("adds BadRequest field violations", () => {
    const err = toConnectError(new AlreadyExistsError("instance", "A"));
    expect(err.code).toBe(Code.AlreadyExists);
    expect(err.findDetails(rpcStatus.BadRequestSchema)[0]?.fieldViolations.map((v) => [v.field, v.description])).toEqual([
      ["name", 'instance "A" already exists'],
    ]);
    const invalid = toConnectError(InvalidArgumentError.of([{ field: "a", description: "x" }, { field: "b", description: "y" }]));
    expect(invalid.findDetails(rpcStatus.BadRequestSchema)[0]?.fieldViolations.length).toBe(2);
  });
});
