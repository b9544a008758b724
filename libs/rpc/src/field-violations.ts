import type { FieldPath } from "@bufbuild/protovalidate/gen/buf/validate/validate_pb.js";
import { ViolationsSchema } from "@bufbuild/protovalidate/gen/buf/validate/validate_pb.js";
import { ConnectError } from "@connectrpc/connect";
import { rpcStatus } from "@orchestrator/contracts";

/** Renders a buf.validate.FieldPath like protovalidate does: `labels["k"]`, `items[2].name`. */
function fieldPathToString(path: FieldPath | undefined): string {
  let out = "";
  for (const element of path?.elements ?? []) {
    out += out === "" ? element.fieldName : `.${element.fieldName}`;
    const sub = element.subscript;
    switch (sub.case) {
      case "index":
      case "intKey":
      case "uintKey":
      case "boolKey":
        out += `[${String(sub.value)}]`;
        break;
      case "stringKey":
        out += `[${JSON.stringify(sub.value)}]`;
        break;
      case undefined:
        break;
    }
  }
  return out;
}

/**
 * Field violations (google.rpc.BadRequest, else buf.validate.Violations) from
 * a ConnectError; empty for anything else. Every INVALID_ARGUMENT raised by
 * this library carries BadRequest, so one reader serves validation rules and
 * domain checks alike.
 */
export function fieldViolations(err: unknown): Array<{ field: string; description: string }> {
  if (!(err instanceof ConnectError)) {
    return [];
  }
  const fromBadRequest = err
    .findDetails(rpcStatus.BadRequestSchema)
    .flatMap((d) => d.fieldViolations.map((v) => ({ field: v.field, description: v.description })));
  if (fromBadRequest.length > 0) {
    return fromBadRequest;
  }
  return err
    .findDetails(ViolationsSchema)
    .flatMap((d) => d.violations.map((v) => ({ field: fieldPathToString(v.field), description: v.message || v.ruleId })));
}
