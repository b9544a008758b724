import { randomBytes } from "node:crypto";

/** A fresh terminal handle, as Orca names them: `term_` and six lowercase letters or digits (`term_k3x9ab`). */
export function newTerminalName(): string {
  const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
  return `term_${[...randomBytes(6)].map((b) => alphabet[b % alphabet.length]).join("")}`;
}
