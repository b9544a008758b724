import type { Migration } from "kysely";
import * as m0001 from "./0001-instances.js";
import * as m0002 from "./0002-sessions.js";
import * as m0003 from "./0003-messages.js";
import * as m0004 from "./0004-scheduler.js";
import * as m0005 from "./0005-pools.js";
import * as m0006 from "./0006-pool-templates-and-activity.js";
import * as m0007 from "./0007-run-coordinator.js";

/**
 * Every migration, by name. Names sort in the order they apply
 * (`NNNN-<name>`); append new ones, never rename or edit applied ones.
 * Listed in code because kysely's FileMigrationProvider cannot load `.ts`
 * files under vitest.
 */
export const migrations: Readonly<Record<string, Migration>> = Object.freeze({
  "0001-instances": m0001,
  "0002-sessions": m0002,
  "0003-messages": m0003,
  "0004-scheduler": m0004,
  "0005-pools": m0005,
  "0006-pool-templates-and-activity": m0006,
  "0007-run-coordinator": m0007,
});
