import type { Attempt } from "@orchestrator/contracts";
import { printTable } from "../output/print.js";
import { formatLatency } from "./format-latency.js";

/** The attempts of a delivery as a table: number, instance, code, latency, message. */
export function printAttempts(attempts: readonly Attempt[]): void {
  printTable(
    ["#", "INSTANCE", "CODE", "LATENCY", "MESSAGE"],
    attempts.map((a) => [String(a.number), a.instance, a.code, formatLatency(a.latency), a.message]),
  );
}
