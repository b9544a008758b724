/**
 * A 32-bit hash of a string: FNV-1a over UTF-16 code units, finished with
 * murmur3's fmix32 so that similar inputs (`A`, `B`) spread well. Not
 * cryptographic; stable across processes and versions, since routing
 * decisions of every replica must agree.
 */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Rendezvous (highest random weight) hashing: the candidate whose
 * hash(key, name) is highest. Every replica picks the same instance for a
 * key, and when an instance leaves, only the keys it owned move.
 */
export function rendezvousPick<T extends { readonly name: string }>(key: string, candidates: readonly T[]): T | undefined {
  let best: T | undefined;
  let bestScore = -1;
  for (const candidate of candidates) {
    const score = hash32(`${key}\u0000${candidate.name}`);
    if (score > bestScore || (score === bestScore && best && candidate.name < best.name)) {
      best = candidate;
      bestScore = score;
    }
  }
  return best;
}
