import { randomFillSync } from "node:crypto";

/** Random bytes drawn in bulk: a run's step makes dozens of ids, and one call to the generator per id costs more than the id. */
const pool = Buffer.alloc(6 * 256);
let offset = pool.length;

/**
 * A fresh id: `prefix` (`t`, `d`, `g`, `r`), a dash and 12 random hex
 * digits (48 bits from the crypto generator; collisions are refused by
 * primary keys, never merged).
 */
export function newId(prefix: string): string {
  if (offset === pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  offset += 6;
  return `${prefix}-${pool.toString("hex", offset - 6, offset)}`;
}
