import { create, fromJson } from "@bufbuild/protobuf";
import { timestampFromDate, ValueSchema } from "@bufbuild/protobuf/wkt";
import { SessionEntrySchema, type SessionEntry } from "@orchestrator/contracts";
import type { SessionEntryRecord } from "./session-record.js";

/**
 * A history entry → orchestrator.worker.v1.SessionEntry: the shape an
 * instance receives at failover (ExecuteRequest.history) and GetSession
 * answers.
 */
export function entryToProto(e: SessionEntryRecord): SessionEntry {
  return create(SessionEntrySchema, {
    sequence: e.sequence,
    data: fromJson(ValueSchema, e.data),
    result: fromJson(ValueSchema, e.result),
    instance: e.instance,
    at: timestampFromDate(e.at),
  });
}
