import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { HealthStatus } from "../instances/instance.js";
import { initialCounters, nextHealth, type ProbeCounters } from "./probe-state.js";

const t = { failureThreshold: 2, successThreshold: 1 };

function run(start: HealthStatus, outcomes: boolean[], thresholds = t): HealthStatus[] {
  let health = start;
  let counters: ProbeCounters = initialCounters;
  return outcomes.map((ok) => {
    ({ health, counters } = nextHealth(health, counters, ok, thresholds));
    return health;
  });
}

describe("nextHealth", () => {
  it("unknown becomes healthy on the first success", () => {
    expect(run("unknown", [true])).toEqual(["healthy"]);
  });

  it("a healthy instance degrades on one failure and is down at the threshold", () => {
    expect(run("healthy", [false, false])).toEqual(["degraded", "down"]);
  });

  it("a success in between resets the failure count", () => {
    expect(run("healthy", [false, true, false, true])).toEqual(["degraded", "healthy", "degraded", "healthy"]);
  });

  it("a down instance needs successThreshold successes in a row", () => {
    expect(run("down", [true, false, true, true, true], { failureThreshold: 2, successThreshold: 3 })).toEqual([
      "down",
      "down",
      "down",
      "down",
      "healthy",
    ]);
  });

  it("is down exactly when the last failureThreshold outcomes all failed (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.boolean(), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 1, max: 5 }),
        (outcomes, failureThreshold) => {
          const states = run("healthy", outcomes, { failureThreshold, successThreshold: 1 });
          const tail = outcomes.slice(-failureThreshold);
          const allFailed = tail.length === failureThreshold && tail.every((ok) => !ok);
          // Once a success happens the instance is healthy; down needs a full run of failures.
          expect(states.at(-1) === "down").toBe(allFailed);
        },
      ),
    );
  });
});
