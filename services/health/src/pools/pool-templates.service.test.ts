import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTestDatabase, type TestDatabase } from "@orchestrator/db";
import { DomainError } from "@orchestrator/errors";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PoolTemplates } from "./pool-templates.service.js";
import { poolTemplate } from "./testing/pool-template-builder.js";

let database: TestDatabase;
let dir: string;
beforeAll(async () => {
  database = await createTestDatabase();
  dir = mkdtempSync(join(tmpdir(), "orch-pool-templates-"));
});
afterAll(async () => {
  await database?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("PoolTemplates", () => {
  it("a pool applied through one replica is in force on another at once, and wins over the boot file's of the same name", async () => {
    const fromFile = poolTemplate({ name: "kite", max: 2 });
    const one = new PoolTemplates(database.db, [fromFile], dir);
    const other = new PoolTemplates(database.db, [fromFile], dir);
    expect(await other.get("kite")).toEqual({ template: fromFile, source: "file" });
    expect(await other.get("api")).toBeUndefined();

    const applied = await one.apply("pools:\n  kite:\n    repo: https://example.com/kite.git\n    command: [claude, -p]\n    max: 4\n  api:\n    repo: .\n    command: [codex, exec]\n", dir);
    expect(applied.map((t) => t.name)).toEqual(["kite", "api"]);
    expect(await other.get("kite")).toMatchObject({ source: "applied", template: { name: "kite", max: 4, command: ["claude", "-p"], repo: "https://example.com/kite.git" } });
    expect(await other.get("api")).toMatchObject({ source: "applied", template: { repo: dir, workdirRoot: join(dir, "pools") } });
    expect((await other.list()).map((t) => [t.template.name, t.source])).toEqual([
      ["api", "applied"],
      ["kite", "applied"],
    ]);
  });

  it("refuses a document that breaks a rule, naming each problem, and stores nothing", async () => {
    const templates = new PoolTemplates(database.db, [], dir);
    const error = await templates.apply("pools:\n  web:\n    command: []\n    max: 0\n", dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).violations.map((v) => v.description)).toEqual([
      "pools.web.repo is required: a git URL or a path to clone each agent's working copy from",
      "pools.web.command must not be empty: the agent command and its arguments, e.g. [claude, -p]",
      "pools.web.max must be ≥ 1: the most instances of the pool",
    ]);
    expect(await templates.get("web")).toBeUndefined();
    await expect(templates.apply("pools: {}\n", dir)).rejects.toThrow("defines no pool");
  });
});
