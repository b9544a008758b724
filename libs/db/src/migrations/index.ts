import type { Migration } from "kysely";
import * as m0001 from "./0001-instances.js";

/**
 * Every migration, by name. Names sort in the order they apply
 * (`NNNN-<name>`); append new ones, never rename or edit applied ones.
 * Listed in code because kysely's FileMigrationProvider cannot load `.ts`
 * files under vitest.
 */
export const migrations: Readonly<Record<string, Migration>> = Object.freeze({
  "0001-instances": m0001,
});
