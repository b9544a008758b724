import type { Fleet } from "./start-fleet.js";

/** When a scenario is driven: with every replica up, then with one replica of each service killed. */
export type Phase = "all replicas" | "after the kills";

/**
 * One kind of work the topology test drives through the fleet, twice
 * (once per phase). `drive` asserts the outcome, including that nothing is
 * lost or done twice. A scenario whose `requires` are not all running is
 * skipped; one without `drive` is a placeholder still to be written.
 */
export interface FleetScenario {
  readonly name: string;
  /** Components (`app.kubernetes.io/component`) that must be running. */
  readonly requires: readonly string[];
  readonly drive?: (fleet: Fleet, phase: Phase) => Promise<void>;
}
