import { InvalidArgumentError } from "@orchestrator/errors";
import { isMessageType, MESSAGE_TYPES, type MessageType } from "./message.js";

/** Checks a `types` filter (field `types[i]` in errors) and drops duplicates. */
export function validateTypes(types: readonly string[]): MessageType[] {
  types.forEach((type, i) => {
    if (!isMessageType(type)) throw new InvalidArgumentError(`types[${i}]`, `"${type}" must be one of ${MESSAGE_TYPES.join(", ")}`);
  });
  return [...new Set(types as readonly MessageType[])];
}
