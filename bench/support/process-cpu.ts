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
 * group's CPU milliseconds since then and stops measuring. A process that
 * started meanwhile counts from 0; one that ended meanwhile (a pool's
 * connections closed before the end) counts as of its last reading, taken
 * every 100 ms, so at most 100 ms of its time is missed.
 */
export function measureCpu(groups: ProcessGroups): () => Record<string, number> {
  const start = new Map<number, number>();
  const last = new Map<number, { label: string; ns: number }>();
  const sample = () => {
    for (const [label, pids] of Object.entries(groups)) {
      for (const pid of pids()) {
        const ns = cpuNs(pid);
        if (ns > 0) last.set(pid, { label, ns });
      }
    }
  };
  for (const pids of Object.values(groups)) for (const pid of pids()) start.set(pid, cpuNs(pid));
  const timer = setInterval(sample, 100);
  timer.unref();
  return () => {
    clearInterval(timer);
    sample();
    const out: Record<string, number> = Object.fromEntries(Object.keys(groups).map((label) => [label, 0]));
    for (const [pid, { label, ns }] of last) out[label]! += (ns - (start.get(pid) ?? 0)) / 1e6;
    return out;
  };
}
