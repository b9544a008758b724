import { fromJson, toJson, type JsonValue } from "@bufbuild/protobuf";
import { ValueSchema, type Value } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError } from "@connectrpc/connect";
import { SessionState, type ExecuteRequest } from "@orchestrator/contracts";
import { errorReason, fieldViolations } from "@orchestrator/rpc";
import { waitFor } from "@orchestrator/testing";
import type { WorkHandler } from "@orchestrator/worker";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startRouter, type RouterFixture } from "./test-support.js";

let fx: RouterFixture;
const value = (json: JsonValue) => fromJson(ValueSchema, json);
const json = (v: Value | undefined) => (v ? toJson(ValueSchema, v) : undefined);

async function failure(call: Promise<unknown>): Promise<ConnectError> {
  try {
    await call;
  } catch (error) {
    return ConnectError.from(error);
  }
  throw new Error("expected the call to fail");
}

/** A handler that records what each session delivery carried, in arrival order. */
function recording(name: string) {
  const seen: Array<{ session: string; sequence: number; history: number[] }> = [];
  const handler: WorkHandler = async (req: ExecuteRequest) => {
    seen.push({ session: req.sessionId, sequence: Number(req.sequence), history: req.history.map((h) => Number(h.sequence)) });
    await sleep(Math.random() * 3);
    return { instance: name, sequence: Number(req.sequence) };
  };
  return { seen, handler };
}

const recorders = new Map<string, ReturnType<typeof recording>>();

beforeAll(async () => {
  fx = await startRouter();
  for (const name of ["P1", "P2", "P3"]) {
    const r = recording(name);
    recorders.set(name, r);
    await fx.startWorker(name, { pool: "sess", handler: r.handler });
  }
  await fx.startWorker("OTHER", { pool: "elsewhere" });
  await waitFor("view sees the pool", () => ["P1", "P2", "P3", "OTHER"].every((n) => fx.module.view.get(n)));
});
afterAll(() => fx.close());

describe("SpawnSession", () => {
  it("pins a session to a healthy instance of the pool and returns its token", async () => {
    const res = await fx.client().spawnSession({ sessionId: "spawn-1", pool: "sess", metadata: { user: "u1" } });
    expect(res.token).toMatch(/^ost_/);
    expect(res.session).toMatchObject({ sessionId: "spawn-1", pool: "sess", state: SessionState.OPEN, lastSequence: 0n, metadata: { user: "u1" } });
    expect(["P1", "P2", "P3"]).toContain(res.session!.instance);
  });

  it("spreads sessions over the instances with the fewest open sessions", async () => {
    for (let i = 0; i < 7; i++) await fx.client().spawnSession({ sessionId: `spread-${i}`, instances: ["P1", "P2", "P3"] });
    const open = (await fx.client().listSessions({ pool: "sess", limit: 1000 })).sessions;
    const counts = ["P1", "P2", "P3"].map((name) => open.filter((s) => s.instance === name).length);
    expect(counts.reduce((a, b) => a + b)).toBe(8); // with spawn-1
    expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
  });

  it("refuses the id of an open session (ALREADY_EXISTS naming session_id) and replaces a closed one", async () => {
    await fx.client().spawnSession({ sessionId: "dup", pool: "sess" });
    const err = await failure(fx.client().spawnSession({ sessionId: "dup", pool: "sess" }));
    expect(err.code).toBe(Code.AlreadyExists);
    expect(fieldViolations(err).map((v) => v.field)).toEqual(["session_id"]);

    await fx.client().sendSession({ sessionId: "dup", data: value(1) });
    await fx.client().closeSession({ sessionId: "dup" });
    const again = await fx.client().spawnSession({ sessionId: "dup", pool: "sess" });
    expect(again.session).toMatchObject({ state: SessionState.OPEN, lastSequence: 0n });
    expect((await fx.client().getSession({ sessionId: "dup", includeHistory: true })).history).toEqual([]);
  });

  it("names what is wrong: unknown pool, selector matching nothing, no healthy instance", async () => {
    const pool = await failure(fx.client().spawnSession({ pool: "nope" }));
    expect([pool.code, errorReason(pool)]).toEqual([Code.NotFound, "unknown_pool"]);
    const selector = await failure(fx.client().spawnSession({ instances: ["zz-*"] }));
    expect([selector.code, errorReason(selector)]).toEqual([Code.NotFound, "no_match"]);
    await fx.startWorker("LONE", { pool: "lone" });
    fx.registry.setHealth("LONE", "down");
    await waitFor("LONE down", () => fx.module.view.get("LONE")?.health === "down");
    const down = await failure(fx.client().spawnSession({ pool: "lone" }));
    expect([down.code, errorReason(down)]).toEqual([Code.Unavailable, "instance_down"]);
  });
});

describe("SendSession", () => {
  it("delivers in order with sequence numbers from 1, and keeps the history", async () => {
    const { session } = await fx.client().spawnSession({ sessionId: "ordered", pool: "sess" });
    const pinned = session!.instance;
    for (let i = 1; i <= 3; i++) {
      const res = await fx.client().sendSession({ sessionId: "ordered", data: value({ step: i }) });
      expect(res).toMatchObject({ sessionId: "ordered", sequence: BigInt(i), instance: pinned, failedOver: false });
      expect(json(res.result)).toEqual({ instance: pinned, sequence: i });
    }
    const got = await fx.client().getSession({ sessionId: "ordered", includeHistory: true });
    expect(got.session?.lastSequence).toBe(3n);
    expect(got.history.map((h) => [Number(h.sequence), json(h.data), h.instance])).toEqual([
      [1, { step: 1 }, pinned],
      [2, { step: 2 }, pinned],
      [3, { step: 3 }, pinned],
    ]);
    expect(recorders.get(pinned)!.seen.filter((s) => s.session === "ordered").map((s) => s.sequence)).toEqual([1, 2, 3]);
  });

  it("the proxyless client's session calls go through the router: same order, numbers and history as callers of the router", async () => {
    const direct = await fx.proxyless();
    const { session } = await direct.spawnSession({ sessionId: "proxyless", pool: "sess" });
    const pinned = session!.instance;
    const mixed = await Promise.all([
      direct.sendSession({ sessionId: "proxyless", data: value("a") }),
      fx.client().sendSession({ sessionId: "proxyless", data: value("b") }),
      direct.sendSession({ sessionId: "proxyless", data: value("c") }),
    ]);
    expect(mixed.map((r) => Number(r.sequence)).sort()).toEqual([1, 2, 3]);
    expect(mixed.every((r) => r.instance === pinned && /^[0-9a-f]{32}$|^$/.test(r.traceId))).toBe(true);
    const got = await direct.getSession({ sessionId: "proxyless", includeHistory: true });
    expect(got.history.map((h) => Number(h.sequence))).toEqual([1, 2, 3]);
    expect(recorders.get(pinned)!.seen.filter((s) => s.session === "proxyless").map((s) => s.sequence)).toEqual([1, 2, 3]);
    expect((await direct.closeSession({ sessionId: "proxyless" })).session?.state).toBe(SessionState.CLOSED);
  });

  it("serialises concurrent sends: 30 at once get 1..30, and the instance sees them in that order", async () => {
    const { session } = await fx.client().spawnSession({ sessionId: "burst", pool: "sess" });
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => fx.client().sendSession({ sessionId: "burst", data: value(i) })));
    expect(results.map((r) => Number(r.sequence)).sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    const seen = recorders.get(session!.instance)!.seen.filter((s) => s.session === "burst").map((s) => s.sequence);
    expect(seen).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
  });

  it("accepts the token instead of the id, and rejects an unknown token without echoing it", async () => {
    const { token } = await fx.client().spawnSession({ sessionId: "by-token", pool: "sess" });
    expect((await fx.client().sendSession({ token, data: value(1) })).sequence).toBe(1n);
    const err = await failure(fx.client().sendSession({ token: "ost_not-a-token", data: value(1) }));
    expect([err.code, errorReason(err)]).toEqual([Code.NotFound, "unknown_session"]);
    expect(err.rawMessage).toContain("token");
    expect(err.rawMessage).not.toContain("ost_not-a-token");
  });

  it("fails over to a healthy pool-mate when the pinned instance stops answering, handing over the history", async () => {
    const r = recording("FO1");
    const fo1 = await fx.startWorker("FO1", { pool: "fo", handler: r.handler });
    const r2 = recording("FO2");
    await fx.startWorker("FO2", { pool: "fo", handler: r2.handler });
    await waitFor("view sees FO1, FO2", () => fx.module.view.get("FO1") && fx.module.view.get("FO2"));
    await fx.client().spawnSession({ sessionId: "failover", instances: ["FO1"], pool: "fo" });
    await fx.client().sendSession({ sessionId: "failover", data: value("one") });
    await fx.client().sendSession({ sessionId: "failover", data: value("two") });
    await fo1.close(); // the registry still says healthy: the send finds out

    const moved = await fx.client().sendSession({ sessionId: "failover", data: value("three") });
    expect(moved).toMatchObject({ sequence: 3n, instance: "FO2", failedOver: true });
    expect(moved.attempts.map((a) => [a.instance, a.code])).toEqual([
      ["FO1", "UNAVAILABLE"],
      ["FO2", "OK"],
    ]);
    expect(r2.seen).toEqual([{ session: "failover", sequence: 3, history: [1, 2] }]);

    const next = await fx.client().sendSession({ sessionId: "failover", data: value("four") });
    expect(next).toMatchObject({ sequence: 4n, instance: "FO2", failedOver: false });
    expect(r2.seen.at(-1)).toEqual({ session: "failover", sequence: 4, history: [] });
    const got = await fx.client().getSession({ sessionId: "failover" });
    expect(got.session).toMatchObject({ instance: "FO2", failovers: 1, lastSequence: 4n });
  });

  it("fails over at once when the health service reports the pinned instance down", async () => {
    const r = recording("HD2");
    await fx.startWorker("HD1", { pool: "hd" });
    await fx.startWorker("HD2", { pool: "hd", handler: r.handler });
    await waitFor("view sees HD1, HD2", () => fx.module.view.get("HD1") && fx.module.view.get("HD2"));
    await fx.client().spawnSession({ sessionId: "health-down", instances: ["HD1"] });
    await fx.client().sendSession({ sessionId: "health-down", data: value(1) });
    fx.registry.setHealth("HD1", "down");
    await waitFor("view sees HD1 down", () => fx.module.view.get("HD1")?.health === "down");
    const moved = await fx.client().sendSession({ sessionId: "health-down", data: value(2) });
    expect(moved.attempts.map((a) => a.instance)).toEqual(["HD2"]);
    expect(r.seen).toEqual([{ session: "health-down", sequence: 2, history: [1] }]);
  });

  it("fails with instance_down when the pinned instance is down and its pool has no other", async () => {
    await fx.startWorker("SOLO", { pool: "solo" });
    await waitFor("view sees SOLO", () => fx.module.view.get("SOLO"));
    await fx.client().spawnSession({ sessionId: "solo", pool: "solo" });
    fx.registry.setHealth("SOLO", "down");
    await waitFor("SOLO down", () => fx.module.view.get("SOLO")?.health === "down");
    const err = await failure(fx.client().sendSession({ sessionId: "solo", data: value(1) }));
    expect([err.code, errorReason(err)]).toEqual([Code.Unavailable, "instance_down"]);
    expect((await fx.client().getSession({ sessionId: "solo" })).session?.lastSequence).toBe(0n); // no number consumed
  });

  it("names an unknown session", async () => {
    const err = await failure(fx.client().sendSession({ sessionId: "ghost", data: value(1) }));
    expect([err.code, errorReason(err)]).toEqual([Code.NotFound, "unknown_session"]);
    expect(err.rawMessage).toContain("session_id");
  });
});

describe("session lifecycle", () => {
  it("CloseSession stops sends (session_closed); closing again is a no-op", async () => {
    await fx.client().spawnSession({ sessionId: "closing", pool: "sess" });
    const closed = await fx.client().closeSession({ sessionId: "closing" });
    expect(closed.session?.state).toBe(SessionState.CLOSED);
    expect(closed.session?.closedAt).toBeDefined();
    const err = await failure(fx.client().sendSession({ sessionId: "closing", data: value(1) }));
    expect([err.code, errorReason(err)]).toEqual([Code.FailedPrecondition, "session_closed"]);
    expect((await fx.client().closeSession({ sessionId: "closing" })).session?.state).toBe(SessionState.CLOSED);
  });

  it("an idle session expires (lazily on use, and by the sweeper)", async () => {
    await fx.client().spawnSession({ sessionId: "short-lived", pool: "sess", ttl: { nanos: 200_000_000 } });
    await fx.client().spawnSession({ sessionId: "swept", pool: "sess", ttl: { nanos: 200_000_000 } });
    await waitFor("short-lived expired", async () => (await fx.client().getSession({ sessionId: "short-lived" })).session?.state === SessionState.EXPIRED);
    const err = await failure(fx.client().sendSession({ sessionId: "short-lived", data: value(1) }));
    expect([err.code, errorReason(err)]).toEqual([Code.FailedPrecondition, "session_expired"]);

    await waitFor("swept expired by the sweeper", async () => {
      await fx.module.sweeper.sweep();
      const listed = await fx.client().listSessions({ includeClosed: true, limit: 1000 });
      return listed.sessions.find((s) => s.sessionId === "swept")?.state === SessionState.EXPIRED;
    });
  });

  it("ListSessions lists open sessions by id, filters, and pages", async () => {
    for (const id of ["list-a", "list-b", "list-c"]) await fx.client().spawnSession({ sessionId: id, pool: "elsewhere" });
    await fx.client().closeSession({ sessionId: "list-b" });
    const open = await fx.client().listSessions({ pool: "elsewhere" });
    expect(open.sessions.map((s) => s.sessionId)).toEqual(["list-a", "list-c"]);
    const all = await fx.client().listSessions({ pool: "elsewhere", includeClosed: true });
    expect(all.sessions.map((s) => s.sessionId)).toEqual(["list-a", "list-b", "list-c"]);
    const first = await fx.client().listSessions({ pool: "elsewhere", includeClosed: true, limit: 2 });
    expect(first.sessions.map((s) => s.sessionId)).toEqual(["list-a", "list-b"]);
    const second = await fx.client().listSessions({ pool: "elsewhere", includeClosed: true, limit: 2, pageToken: first.nextPageToken });
    expect(second.sessions.map((s) => s.sessionId)).toEqual(["list-c"]);
    expect(second.nextPageToken).toBe("");
    expect((await fx.client().listSessions({ instance: "OTHER" })).sessions.map((s) => s.sessionId)).toEqual(["list-a", "list-c"]);
    const bad = await failure(fx.client().listSessions({ pageToken: "garbage" }));
    expect(fieldViolations(bad).map((v) => v.field)).toEqual(["page_token"]);
  });
});
