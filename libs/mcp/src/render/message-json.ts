import { toJson, type JsonObject } from "@bufbuild/protobuf";
import { MessageSchema, type Message } from "@orchestrator/contracts";

/** A mailbox message as tool output: the proto's JSON form, with the payload parsed when it is JSON. */
export function messageJson(m: Message): JsonObject {
  const json = toJson(MessageSchema, m) as JsonObject;
  if (m.payload) {
    try {
      json["payload"] = JSON.parse(m.payload) as JsonObject;
    } catch {
      // Not JSON: kept as the text it is.
    }
  }
  return json;
}
