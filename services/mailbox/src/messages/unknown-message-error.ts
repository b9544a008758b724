import { DomainError } from "@orchestrator/errors";

/** NOT_FOUND (reason `unknown_message`) for a message id that does not exist, naming the request field. */
export function unknownMessageError(field: string, id: string): DomainError {
  const rule = `no message has id "${id}"`;
  return new DomainError("not_found", "unknown_message", `${field}: ${rule}`, { message: id, field }, [{ field, description: rule }]);
}
