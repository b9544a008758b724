/** Aggregations of FanoutRequest.aggregate. */
export const AGGREGATES = ["all", "first", "quorum", "merge"] as const;

/** How a fanout's answers are combined, as `--aggregate` says. */
export interface AggregateChoice {
  readonly aggregate: (typeof AGGREGATES)[number];
  /** `--aggregate false`: no combined verdict, each instance's answer as it arrives. */
  readonly perInstance: boolean;
}

/**
 * `--aggregate all|first|quorum|merge`, or the openclaw skill's boolean:
 * `true` is `all` (every answer, combined), `false` is no aggregation
 * (each instance's answer printed as it arrives, FanoutStream). Throws
 * naming the option for anything else.
 */
export function parseAggregateOption(text: string): AggregateChoice {
  const value = text.trim().toLowerCase();
  if (value === "true") return { aggregate: "all", perInstance: false };
  if (value === "false") return { aggregate: "all", perInstance: true };
  if ((AGGREGATES as readonly string[]).includes(value)) return { aggregate: value as AggregateChoice["aggregate"], perInstance: false };
  throw new Error(`--aggregate: "${text}" is not an aggregation; choose ${AGGREGATES.join(", ")}, or true (all) / false (each answer as it arrives)`);
}
