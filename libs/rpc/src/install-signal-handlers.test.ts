import { describe, expect, it } from "vitest";
import { installSignalHandlers } from "./install-signal-handlers.js";
import { createTestLogger } from "./testing/test-logger.js";

describe("installSignalHandlers", () => {
  it("closes once on the first signal and exits 0; a second signal exits 1 at once", async () => {
    const { logger } = createTestLogger();
    const exits: number[] = [];
    let closes = 0;
    let finishClose = () => {};
    const server = {
      close: () => {
        closes += 1;
        return new Promise<void>((resolve) => (finishClose = resolve));
      },
    };
    const uninstall = installSignalHandlers(server, logger, { signals: ["SIGUSR2"], exit: (code) => exits.push(code) });
    try {
      process.emit("SIGUSR2", "SIGUSR2");
      process.emit("SIGUSR2", "SIGUSR2");
      expect(closes).toBe(1);
      expect(exits).toEqual([1]);
      finishClose();
      await new Promise((r) => setImmediate(r));
      expect(exits).toEqual([1, 0]);
    } finally {
      uninstall();
    }
    expect(process.listenerCount("SIGUSR2")).toBe(0);
  });

  it("exits 1 when close fails", async () => {
    const { logger, lines } = createTestLogger();
    const exits: number[] = [];
    const uninstall = installSignalHandlers({ close: () => Promise.reject(new Error("boom")) }, logger, {
      signals: ["SIGUSR2"],
      exit: (code) => exits.push(code),
    });
    try {
      process.emit("SIGUSR2", "SIGUSR2");
      await new Promise((r) => setImmediate(r));
      expect(exits).toEqual([1]);
      expect(lines.some((l) => l.includes("shutdown failed"))).toBe(true);
    } finally {
      uninstall();
    }
  });
});
