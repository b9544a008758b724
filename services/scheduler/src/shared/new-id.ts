import { randomBytes } from "node:crypto";

/**
 * A fresh id: `prefix` (`t`, `d`, `g`, `r`), a dash and 12 random hex
 * digits (48 bits; collisions are refused by primary keys, never merged).
 */
export function newId(prefix: string): string {
  return `${prefix}-${randomBytes(6).toString("hex")}`;
}
