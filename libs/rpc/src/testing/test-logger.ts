import { Writable } from "node:stream";
import { pino, type Logger } from "pino";

/** A pino logger writing JSON lines into `lines`, to assert what was (not) logged. */
export function createTestLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(...chunk.toString("utf8").split("\n").filter((l) => l !== ""));
      callback();
    },
  });
  return { logger: pino({ level: "debug" }, stream), lines };
}
