import { fromJson } from "@bufbuild/protobuf";
import { ValueSchema } from "@bufbuild/protobuf/wkt";
import type { ExecuteRequest } from "@orchestrator/contracts";
import { waitFor } from "@orchestrator/testing";
import type { WorkHandler } from "@orchestrator/worker";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startRouter, type RouterFixture } from "./test-support.js";

// Two replicas need two connections to one database: real Postgres only (PGlite has one connection).
describe.skipIf(!process.env.DATABASE_URL)("sessions across two router replicas on one Postgres", () => {
  let one: RouterFixture;
  let two: RouterFixture;
  const seen: Array<{ session: string; sequence: number }> = [];
  let inFlight = 0;
  let overlapped = false;

  const handler: WorkHandler = async (req: ExecuteRequest) => {
    if (++inFlight > 1 && req.sessionId === "shared") overlapped = true;
    seen.push({ session: req.sessionId, sequence: Number(req.sequence) });
    await sleep(Math.random() * 2);
    inFlight--;
    return { sequence: Number(req.sequence) };
  };

  beforeAll(async () => {
    one = await startRouter();
    two = await startRouter({ databaseUrl: one.database.url!, registry: { registry: one.registry, address: one.address } });
    await one.startWorker("R1", { pool: "rep", handler });
    await waitFor("both replicas see R1", () => one.module.view.get("R1") && two.module.view.get("R1"));
  });
  afterAll(async () => {
    await two?.close();
    await one?.close();
  });

  it("100 concurrent sends through both replicas get 1..100 without gap or repeat, delivered one at a time in that order", async () => {
    await one.client().spawnSession({ sessionId: "shared", instances: ["R1"] });
    const clients = [one.client(30_000), two.client(30_000)];
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) => clients[i % 2]!.sendSession({ sessionId: "shared", data: fromJson(ValueSchema, { i }) })),
    );
    const sequences = results.map((r) => Number(r.sequence)).sort((a, b) => a - b);
    expect(sequences).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(seen.filter((s) => s.session === "shared").map((s) => s.sequence)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(overlapped).toBe(false);
    const got = await two.client().getSession({ sessionId: "shared", includeHistory: true, historyLimit: 1000 });
    expect(got.session?.lastSequence).toBe(100n);
    expect(got.history.map((h) => Number(h.sequence))).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
  });
});
