import { create, fromJson, toJson, type JsonValue } from "@bufbuild/protobuf";
import { ValueSchema, type Value } from "@bufbuild/protobuf/wkt";
import { deepMerge } from "./deep-merge.js";
import type { AggregateMode, TargetOutcome } from "./fanout-types.js";

/** Successes a mode needs out of `targets`. */
export function successesNeeded(mode: AggregateMode, targets: number, quorum: number): number {
  switch (mode) {
    case "first":
      return 1;
    case "quorum":
      return quorum;
    default:
      return targets;
  }
}

/**
 * The aggregated value of the successful outcomes (given in target order):
 * `all` and `quorum` the list of results, `first` the winner's result,
 * `merge` the deep merge of the results (see deepMerge); undefined when
 * nothing succeeded and the mode has no empty value.
 */
export function aggregateResults(mode: AggregateMode, successes: readonly TargetOutcome[], winner: TargetOutcome | undefined): Value | undefined {
  switch (mode) {
    case "first":
      return winner?.result;
    case "merge": {
      if (successes.length === 0) return undefined;
      let merged: JsonValue | undefined;
      for (const outcome of successes) {
        const value = outcome.result ? toJson(ValueSchema, outcome.result) : null;
        merged = merged === undefined ? value : deepMerge(merged, value);
      }
      return fromJson(ValueSchema, merged ?? null);
    }
    default:
      return create(ValueSchema, {
        kind: { case: "listValue", value: { values: successes.map((o) => o.result ?? create(ValueSchema, { kind: { case: "nullValue", value: 0 } })) } },
      });
  }
}
