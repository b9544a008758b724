import { createTestDatabase, migrateToLatest, type DatabaseHandle } from "@orchestrator/db";
import { sql, type RawBuilder } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { analyzeTasks } from "../tasks/task.repository.js";
import { openWorkQuery } from "./run.repository.js";
import { STEP_PLANNER } from "./step-planner.js";

let database: DatabaseHandle;

interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  Plans?: PlanNode[];
}
const scansOf = (node: PlanNode): string[] => [
  ...(node["Relation Name"] ? [`${node["Node Type"]} on ${node["Relation Name"]}`] : []),
  ...(node.Plans ?? []).flatMap(scansOf),
];

/** The scans of a statement's plan under a run step's planner settings (in a transaction, as a step runs). */
async function stepPlan(statement: RawBuilder<unknown>): Promise<string[]> {
  return database.db.transaction().execute(async (tx) => {
    await sql`select ${STEP_PLANNER}`.execute(tx);
    const { rows } = await sql<{ "QUERY PLAN": unknown }>`explain (format json) ${statement}`.execute(tx);
    const plan = rows[0]!["QUERY PLAN"];
    const parsed = (typeof plan === "string" ? JSON.parse(plan) : plan) as Array<{ Plan: PlanNode }>;
    return scansOf(parsed[0]!.Plan);
  });
}

beforeAll(async () => {
  database = await createTestDatabase();
  await migrateToLatest(database.db);
  // An earlier run's 10,000 finished tasks, then a big run's 2,000 pending ones, analyzed as a big run's tasks are once
  // inserted: a run's rows are many and all at the end of the table, where a sequential scan meets them last.
  await sql`insert into runs (id, status, spec, spec_format, max_concurrency, target) values
    ('r-old', 'done', '', 'json', 8, '@healthy'), ('r-new', 'dispatching', '', 'json', 8, '@healthy')`.execute(database.db);
  await sql`insert into tasks (id, run_id, spec, status) select 'old-' || i, 'r-old', 'no-op', 'completed' from generate_series(1, 10000) i`.execute(database.db);
  await sql`insert into tasks (id, run_id, spec, status) select 'new-' || i, 'r-new', 'no-op', 'pending' from generate_series(1, 2000) i`.execute(database.db);
  await analyzeTasks(database.db);
});
afterAll(() => database.close());

describe("a run step's planner settings", () => {
  it("hold for the rest of the step's transaction and end with it", async () => {
    const settings = await database.db.transaction().execute(async (tx) => {
      await sql`select ${STEP_PLANNER}`.execute(tx);
      const { rows } = await sql<{ seq: string; bitmap: string }>`select current_setting('enable_seqscan') as seq, current_setting('enable_bitmapscan') as bitmap`.execute(tx);
      return rows[0];
    });
    expect(settings).toEqual({ seq: "off", bitmap: "off" });
    const { rows } = await sql<{ seq: string }>`select current_setting('enable_seqscan') as seq`.execute(database.db);
    expect(rows[0]!.seq).toBe("on");
  });

  it("answer whether a run has open work from the (run, status) index, not by reading every run's tasks", async () => {
    const scans = await stepPlan(openWorkQuery("r-new"));
    expect(scans.length).toBeGreaterThan(0);
    expect(scans.filter((s) => s.endsWith(" on tasks"))).not.toContainEqual(expect.stringMatching(/^(Seq|Bitmap Heap) Scan/));
  });
});
