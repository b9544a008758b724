import { rendezvousPick } from "./rendezvous-hash.js";

/**
 * Spreads calls over candidates: the one with the fewest calls in flight
 * from this router (least outstanding requests), ties broken round robin so
 * an idle pool is used evenly; or, with a key, the candidate rendezvous
 * hashing assigns to it. Counts are per process, which is what a stateless
 * replica can know without coordination.
 */
export class Balancer {
  private cursor = 0;
  private readonly inFlight = new Map<string, number>();

  /** The candidate to call; undefined for an empty list. */
  pick<T extends { readonly name: string }>(candidates: readonly T[], key?: string): T | undefined {
    if (key) return rendezvousPick(key, candidates);
    const n = candidates.length;
    if (n <= 1) return candidates[0];
    const start = this.cursor++ % n;
    if (this.cursor >= Number.MAX_SAFE_INTEGER) this.cursor = 0;
    let best: T | undefined;
    let bestLoad = Infinity;
    for (let i = 0; i < n; i++) {
      const candidate = candidates[(start + i) % n]!;
      const load = this.inFlight.get(candidate.name) ?? 0;
      if (load < bestLoad) {
        best = candidate;
        bestLoad = load;
        if (load === 0) break;
      }
    }
    return best;
  }

  /** Counts a call to `name` as in flight; call the returned function once it ends. */
  begin(name: string): () => void {
    this.inFlight.set(name, (this.inFlight.get(name) ?? 0) + 1);
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      const left = (this.inFlight.get(name) ?? 1) - 1;
      if (left <= 0) this.inFlight.delete(name);
      else this.inFlight.set(name, left);
    };
  }

  /** Calls in flight to `name` from this process. */
  load(name: string): number {
    return this.inFlight.get(name) ?? 0;
  }
}
