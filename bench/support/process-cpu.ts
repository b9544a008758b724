/**
 * CPU time of groups of processes, from /proc (Linux only): for benches
 * that spread one workload over several processes and Postgres, so a
 * result can say which process spent what per unit of work. Threads are
 * summed from /proc/<pid>/task/<tid>/schedstat (nanoseconds, finer than
 * the 10 ms ticks of /proc/<pid>/stat).
 */
import { readdirSync, readFileSync } from "node:fs";

/** CPU nanoseconds spent so far by `pid` (all its threads); 0 once it is gone. */
export function cpuNs(pid: number): number {
  let ns = 0;
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      try {
        ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, "utf8").split(" ")[0]);
      } catch {
        // the thread ended meanwhile
      }
    }
  } catch {
    // the process ended
  }
  return ns;
}

/** Pids of every running process whose command line starts with `prefix` (e.g. every Postgres backend). */
export function pidsOf(prefix: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, "utf8").startsWith(prefix)) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

/** A labelled set of processes; `pids` is asked again at each reading (Postgres starts backends as connections open). */
export type ProcessGroups = Record<string, () => number[]>;

/**
 * Starts measuring the groups' CPU; the returned function answers each
 * group's CPU milliseconds since then. A process that started meanwhile
 * counts from 0, one that ended meanwhile is missed (its time is lost),
 * so measure across spans where the processes live throughout.
 */
export function measureCpu(groups: ProcessGroups): () => Record<string, number> {
  const start = new Map<number, number>();
  for (const pids of Object.values(groups)) for (const pid of pids()) start.set(pid, cpuNs(pid));
  return () => {
    const out: Record<string, number> = {};
    for (const [label, pids] of Object.entries(groups)) {
      out[label] = pids().reduce((sum, pid) => sum + (cpuNs(pid) - (start.get(pid) ?? 0)), 0) / 1e6;
    }
    return out;
  };
}
