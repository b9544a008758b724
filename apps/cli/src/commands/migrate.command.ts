import { Command } from "commander";
import { join } from "node:path";
import { loadConfig } from "@orchestrator/config";
import { globalsOf } from "../global-options.js";
import { printJson } from "../output/print.js";

/**
 * `orchestrator migrate`: applies every pending migration to DATABASE_URL
 * (PGlite under ORCHESTRATOR_DATA_DIR without it) and exits. This is the
 * Kubernetes migration Job's command; services also migrate at start, under
 * the same lock, so running both is safe.
 */
export function migrateCommand(): Command {
  return new Command("migrate")
    .description("apply pending database migrations to DATABASE_URL and exit (the Kubernetes migration Job)")
    .addHelpText(
      "after",
      `
Environment: DATABASE_URL (without it, PGlite under ORCHESTRATOR_DATA_DIR).
Replicas may migrate at the same time: one applies, the others wait and apply nothing.

Examples:
  $ DATABASE_URL=postgres://postgres@127.0.0.1:5432/orchestrator orchestrator migrate
  applied 0001-instances, 0002-sessions
  $ orchestrator migrate --json
  {"applied":[]}`,
    )
    .action(async (_opts, command: Command) => {
      const config = loadConfig();
      const { migrateToLatest, openDatabase } = await import("@orchestrator/db");
      const database = await openDatabase({
        ...(config.databaseUrl ? { url: config.databaseUrl, poolMax: 1 } : { dataDir: join(config.dataDir, "pgdata") }),
        applicationName: "orchestrator-migrate",
      });
      try {
        const applied = await migrateToLatest(database.db);
        if (globalsOf(command).json) printJson({ applied });
        else process.stdout.write(applied.length > 0 ? `applied ${applied.join(", ")}\n` : "database is up to date\n");
      } finally {
        await database.close();
      }
    });
}
