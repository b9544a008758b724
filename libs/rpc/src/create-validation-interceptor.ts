import { create } from "@bufbuild/protobuf";
import { pathToString } from "@bufbuild/protobuf/reflect";
import { ValidationError } from "@bufbuild/protovalidate";
import { ConnectError, type Interceptor } from "@connectrpc/connect";
import { createValidateInterceptor } from "@connectrpc/validate";
import { rpcStatus } from "@orchestrator/contracts";
import { observeStream } from "./observe-stream.js";
import { ERROR_DOMAIN } from "./to-connect-error.js";

/**
 * Adds google.rpc.ErrorInfo {reason "invalid_argument"} and
 * google.rpc.BadRequest details to a protovalidate failure (in place), so clients read
 * every INVALID_ARGUMENT the same way (`fieldViolations()`), whether a rule
 * in the .proto or a service raised it. Other errors are returned unchanged.
 */
function withBadRequest(err: unknown): unknown {
  if (!(err instanceof ConnectError) || !(err.cause instanceof ValidationError)) {
    return err;
  }
  if (err.findDetails(rpcStatus.BadRequestSchema).length > 0) {
    return err; // already mapped (a client-streamed request fails in both places)
  }
  const violations = err.cause.violations;
  const badRequest = create(rpcStatus.BadRequestSchema, {
    fieldViolations: violations.map((v) => ({ field: pathToString(v.field), description: v.message })),
  });
  const info = create(rpcStatus.ErrorInfoSchema, { reason: "invalid_argument", domain: ERROR_DOMAIN });
  err.details.push({ desc: rpcStatus.ErrorInfoSchema, value: info }, { desc: rpcStatus.BadRequestSchema, value: badRequest });
  return err;
}

/**
 * Server interceptor enforcing the protovalidate rules declared in the .proto
 * files on every request message (streamed ones as they are read), through
 * `createValidateInterceptor()` of @connectrpc/validate. A violation is
 * INVALID_ARGUMENT whose message starts with the field path
 * (`name: must be at least 1 characters [string.min_len], and 1 more violation`),
 * with buf.validate.Violations, google.rpc.BadRequest and ErrorInfo details.
 * The handler never runs for an invalid unary request, so it changes nothing.
 */
export function createValidationInterceptor(): Interceptor {
  const validate = createValidateInterceptor();
  // Streamed requests fail while the handler reads them: map those errors
  // between the validator and the handler.
  const mapStreamedRequests: Interceptor = (next) => (req) =>
    next(req.stream ? { ...req, message: observeStream(req.message, { mapError: withBadRequest }) } : req);
  const rethrow = (err: unknown): never => {
    throw withBadRequest(err);
  };
  return (next) => {
    const inner = validate(mapStreamedRequests(next));
    // Not async: the validator throws synchronously for a unary request, and a valid call should pay no extra promise.
    return (req) => {
      try {
        return inner(req).catch(rethrow);
      } catch (err) {
        return Promise.reject(withBadRequest(err));
      }
    };
  };
}
