import { create } from "@bufbuild/protobuf";
import { ConnectError } from "@connectrpc/connect";
import { rpcStatus } from "@orchestrator/contracts";

/** Limits of what one error may carry to a client (a gRPC trailer is a few KiB at most). */
export const ERROR_LIMITS = Object.freeze({
  /** Characters of the message. */
  messageChars: 1024,
  /** Characters of one ErrorInfo metadata value or one field violation description. */
  valueChars: 256,
  /** ErrorInfo metadata entries. */
  metadataEntries: 16,
  /** BadRequest field violations. */
  violations: 20,
  /** Bytes of a detail of another type (kept whole or dropped). */
  otherDetailBytes: 2048,
});

/** `text` cut to `max` characters, ending with "…" when cut. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/**
 * Returns `err` with its message and details capped (ERROR_LIMITS), so no
 * error can overflow a trailer and reach the client as a reset stream:
 * the message is cut with "…", ErrorInfo metadata values and BadRequest
 * descriptions are cut, extra metadata entries and violations are dropped
 * (the count of dropped violations is added), other oversized details are
 * dropped. An error within the limits is returned as is.
 */
export function boundConnectError(err: ConnectError): ConnectError {
  if (withinLimits(err)) return err;
  const details: ConnectError["details"] = [];
  for (const d of err.details) {
    if (!("desc" in d)) {
      if (d.value.byteLength <= ERROR_LIMITS.otherDetailBytes) details.push(d);
    } else if (d.desc.typeName === rpcStatus.ErrorInfoSchema.typeName) {
      const info = create(rpcStatus.ErrorInfoSchema, d.value as rpcStatus.ErrorInfo);
      const metadata = Object.fromEntries(
        Object.entries(info.metadata)
          .slice(0, ERROR_LIMITS.metadataEntries)
          .map(([k, v]) => [truncate(k, 64), truncate(v, ERROR_LIMITS.valueChars)]),
      );
      details.push({ desc: rpcStatus.ErrorInfoSchema, value: create(rpcStatus.ErrorInfoSchema, { reason: truncate(info.reason, 64), domain: info.domain, metadata }) });
    } else if (d.desc.typeName === rpcStatus.BadRequestSchema.typeName) {
      details.push({ desc: rpcStatus.BadRequestSchema, value: boundBadRequest(create(rpcStatus.BadRequestSchema, d.value as rpcStatus.BadRequest)) });
    } else if (detailSize(d) <= ERROR_LIMITS.otherDetailBytes) {
      details.push(d);
    }
  }
  const bounded = new ConnectError(truncate(err.rawMessage, ERROR_LIMITS.messageChars), err.code, err.metadata, undefined, err.cause);
  bounded.details.push(...details);
  return bounded;
}

function boundBadRequest(value: rpcStatus.BadRequest): rpcStatus.BadRequest {
  const kept = value.fieldViolations.slice(0, ERROR_LIMITS.violations).map((v) => ({
    field: truncate(v.field, ERROR_LIMITS.valueChars),
    description: truncate(v.description, ERROR_LIMITS.valueChars),
  }));
  const dropped = value.fieldViolations.length - kept.length;
  if (dropped > 0) kept.push({ field: "", description: `and ${dropped} more violations` });
  return create(rpcStatus.BadRequestSchema, { fieldViolations: kept });
}

/** A detail's size: its bytes, or its JSON length for a message not yet encoded. */
function detailSize(d: ConnectError["details"][number]): number {
  if (!("desc" in d)) return d.value.byteLength;
  return JSON.stringify(d.value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v instanceof Uint8Array ? v.byteLength : v))?.length ?? 0;
}

function withinLimits(err: ConnectError): boolean {
  if (err.rawMessage.length > ERROR_LIMITS.messageChars) return false;
  for (const d of err.details) {
    if (detailSize(d) > ERROR_LIMITS.otherDetailBytes) return false;
    if ("desc" in d && d.desc.typeName === rpcStatus.BadRequestSchema.typeName && (d.value as rpcStatus.BadRequest).fieldViolations?.length > ERROR_LIMITS.violations) return false;
  }
  return true;
}
