import { toJson } from "@bufbuild/protobuf";
import { ValueSchema, type Value } from "@bufbuild/protobuf/wkt";

/** A google.protobuf.Value (a result, a payload), pretty-printed as JSON. */
export function JsonView({ value, empty = "—" }: { value: Value | undefined; empty?: string }) {
  if (!value || value.kind.case === undefined) return <span className="muted">{empty}</span>;
  return <pre className="json">{JSON.stringify(toJson(ValueSchema, value), null, 2)}</pre>;
}
