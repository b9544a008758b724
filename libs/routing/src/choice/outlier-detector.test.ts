import { describe, expect, it } from "vitest";
import { OutlierDetector } from "./outlier-detector.js";

function detector() {
  let now = 1_000;
  const d = new OutlierDetector({ consecutiveFailures: 3, ejectionMs: 100, maxEjectionMs: 250 }, () => now);
  return { d, advance: (ms: number) => (now += ms) };
}

describe("OutlierDetector", () => {
  it("ejects after consecutive failures; a success in between resets the count", () => {
    const { d } = detector();
    d.recordFailure("A", false);
    d.recordFailure("A", false);
    d.recordSuccess("A");
    d.recordFailure("A", false);
    d.recordFailure("A", false);
    expect(d.available("A")).toBe(true);
    d.recordFailure("A", false);
    expect(d.available("A")).toBe(false);
    expect(d.ejected("A")).toBe(true);
  });

  it("probes an ejected instance one call at a time once the ejection ends; success restores it", () => {
    const { d, advance } = detector();
    for (let i = 0; i < 3; i++) d.recordFailure("A", false);
    advance(100);
    expect(d.available("A")).toBe(true);
    d.begin("A");
    expect(d.available("A")).toBe(false); // the probe is in flight
    d.recordSuccess("A");
    expect(d.available("A")).toBe(true);
    d.begin("A");
    expect(d.available("A")).toBe(true); // back in full rotation
  });

  it("re-ejects at once when the probe fails, for twice as long, capped", () => {
    const { d, advance } = detector();
    for (let i = 0; i < 3; i++) d.recordFailure("A", false);
    advance(100);
    d.available("A");
    d.begin("A");
    d.recordFailure("A", false);
    advance(150);
    expect(d.ejected("A")).toBe(true);
    advance(50);
    expect(d.ejected("A")).toBe(false);
    d.available("A");
    d.begin("A");
    d.recordFailure("A", false);
    advance(249);
    expect(d.ejected("A")).toBe(true); // 400 capped to 250
    advance(1);
    expect(d.ejected("A")).toBe(false);
  });

  it("frees the probe slot when the probe is abandoned", () => {
    const { d, advance } = detector();
    for (let i = 0; i < 3; i++) d.recordFailure("A", false);
    advance(100);
    d.available("A");
    d.begin("A");
    d.recordAbandoned("A");
    expect(d.available("A")).toBe(true);
  });

  it("treats an unreachable instance as down until the health service reports it back or the ejection time passes", () => {
    const { d, advance } = detector();
    d.recordFailure("A", true);
    expect(d.unreachable("A")).toBe(true);
    d.clearUnreachable("A");
    expect(d.unreachable("A")).toBe(false);
    d.recordFailure("A", true);
    advance(100);
    expect(d.unreachable("A")).toBe(false);
  });
});
