import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { RepeatedFailureLog } from "./repeated-failure-log.js";
import { createTestLogger } from "./testing/test-logger.js";

const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });
const messages = (lines: string[]) => lines.map((l) => (JSON.parse(l) as { msg: string }).msg);

describe("RepeatedFailureLog", () => {
  it("logs the first failure of an episode, counts the rest, and summarises them when it recovers", () => {
    const { logger, lines } = createTestLogger();
    const log = new RepeatedFailureLog(logger);
    for (let i = 0; i < 184; i++) log.failed("heartbeat", refused);
    expect(messages(lines)).toEqual(["heartbeat failed: connect ECONNREFUSED 127.0.0.1:5432 (repeats are summarised)"]);
    log.succeeded("heartbeat");
    expect(messages(lines)[1]).toBe("heartbeat failed 184 times in 1 s: connect ECONNREFUSED 127.0.0.1:5432; recovered");
    expect(lines.join("\n")).not.toContain("    at ");
  });

  it("summarises a long episode periodically, and ends it after a quiet spell", async () => {
    const { logger, lines } = createTestLogger();
    const log = new RepeatedFailureLog(logger, { quietMs: 40, summaryEveryMs: 0 });
    log.failed("sweep", refused);
    log.failed("sweep", refused);
    log.failed("sweep", refused);
    expect(lines).toHaveLength(3); // first line, then a summary per failure with summaryEveryMs 0
    await sleep(120);
    expect(messages(lines).at(-1)).toMatch(/^sweep failed 3 times in 1 s: .*; then stopped failing$/);
    log.failed("sweep", refused);
    expect(messages(lines).at(-1)).toBe("sweep failed: connect ECONNREFUSED 127.0.0.1:5432 (repeats are summarised)");
  });

  it("keeps episodes of different activities apart; one success summarises nothing when it failed once", () => {
    const { logger, lines } = createTestLogger();
    const log = new RepeatedFailureLog(logger);
    log.failed("a", refused);
    log.failed("b", refused);
    log.succeeded("a");
    expect(messages(lines)).toEqual([
      "a failed: connect ECONNREFUSED 127.0.0.1:5432 (repeats are summarised)",
      "b failed: connect ECONNREFUSED 127.0.0.1:5432 (repeats are summarised)",
      "a recovered",
    ]);
  });
});
