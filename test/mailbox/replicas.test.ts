import { HealthService, MailboxService, ProbeMode } from "@orchestrator/contracts";
import type { MailboxModule } from "@orchestrator/mailbox";
import { createServiceClient } from "@orchestrator/rpc";
import { waitFor } from "@orchestrator/testing";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStack, type Stack } from "../support/start-stack.js";
import { cliEnv, orchestrator, startOrchestrator } from "./cli.js";

// Several replicas, LISTEN sessions and reconnects need real Postgres.
describe.skipIf(!process.env.DATABASE_URL)("two mailbox replicas on one Postgres", () => {
  let one: Stack; // health + mailbox
  let two: Stack; // mailbox only, resolving groups through `one`
  const client = (s: Stack) => createServiceClient(MailboxService, { address: s.address, timeoutMs: 60_000 });
  const waiters = (s: Stack) => (s.plane.modules.get("mailbox") as MailboxModule).waiterCount();

  beforeAll(async () => {
    one = await startStack({ services: ["health", "mailbox"] });
    two = await startStack({ services: ["mailbox"], databaseUrl: one.databaseUrl!, env: { ORCHESTRATOR_HEALTH_ADDR: one.address } });
  }, 60_000);
  afterAll(async () => {
    await two?.close();
    await one?.close();
  });

  it("a send through one replica wakes a waiting check on the other", async () => {
    const waiting = client(two).check({ handle: "coord", wait: true, types: ["worker_done"], timeoutMs: 30_000 });
    await waitFor("the waiter on replica two", () => waiters(two) === 1);
    await client(one).send({ to: "coord", from: "kite-1", subject: "noise", type: "status" });
    const sent = await client(one).send({ to: "coord", from: "kite-1", subject: "t1 done", type: "worker_done" });
    const res = await waiting;
    expect(res.timedOut).toBe(false);
    expect(res.messages.map((m) => m.id)).toEqual([sent.messages[0]!.id]);
  });

  it("a CLI process waiting on one replica is woken by a CLI send through the other", async () => {
    const waiting = startOrchestrator(cliEnv(two.address), "check", "--handle", "lead", "--wait", "--types", "worker_done", "--json");
    await waitFor("the CLI's waiting check", () => waiters(two) === 1, { timeoutMs: 30_000 });
    await orchestrator(cliEnv(one.address), "send", "--to", "lead", "--from", "kite-2", "--subject", "merged", "--type", "worker_done");
    const { code, stdout } = await waiting.done;
    expect(code).toBe(0);
    expect((JSON.parse(stdout) as { messages: Array<{ subject: string }> }).messages.map((m) => m.subject)).toEqual(["merged"]);
  }, 60_000);

  it("a group send to hundreds of long handles wakes every waiter on the other replica (chunked NOTIFY)", async () => {
    // 200 handles of 60 characters: about 12 KB of recipients, more than one 8000-byte NOTIFY payload.
    const handles = Array.from({ length: 200 }, (_, i) => `agent-handle-long-enough-to-need-several-notify-payloads-${String(i).padStart(3, "0")}`);
    const health = createServiceClient(HealthService, { address: one.address });
    // Heartbeat mode: nothing listens at these addresses, and dialling 200 of them would only load the health service.
    await Promise.all(
      handles.map((name, i) => health.registerInstance({ name, address: `127.0.0.1:${20_000 + i}`, pool: "long", probeMode: ProbeMode.HEARTBEAT })),
    );
    const calls = handles.map((handle) => client(two).check({ handle, wait: true, timeoutMs: 50_000 }));
    await waitFor("200 waiters", () => waiters(two) === 200, { timeoutMs: 40_000 });
    const sent = await client(one).send({ to: "@pool:long", from: "coordinator", subject: "wake up", type: "dispatch" });
    const results = await Promise.all(calls);
    expect(results.map((r) => r.messages.map((m) => [m.to, m.threadId]))).toEqual(handles.map((h) => [[h, sent.threadId]]));
  }, 90_000);

  it("re-checks every waiter after its listener reconnects, so a message sent meanwhile is not missed", async () => {
    const waiting = client(two).check({ handle: "after-reconnect", wait: true, timeoutMs: 30_000 });
    await waitFor("the waiter", () => waiters(two) === 1);
    const admin = new pg.Client({ connectionString: one.databaseUrl! });
    await admin.connect();
    try {
      const { rowCount } = await admin.query(
        "select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and application_name = 'orchestrator-mailbox:listen'",
      );
      expect(rowCount).toBe(1);
    } finally {
      await admin.end();
    }
    const sent = await client(one).send({ to: "after-reconnect", subject: "sent while replica two was not listening" });
    const res = await waiting;
    expect(res.timedOut).toBe(false);
    expect(res.messages.map((m) => m.id)).toEqual([sent.messages[0]!.id]);
  });

  it("hands each message of a queue to exactly one claimer across replicas", async () => {
    const claimers = Array.from({ length: 10 }, (_, i) =>
      client(i % 2 ? one : two).check({ handle: "jobs", wait: true, markRead: true, limit: 1, timeoutMs: 30_000 }),
    );
    await waitFor("10 claimers", () => waiters(one) + waiters(two) === 10);
    await Promise.all(Array.from({ length: 10 }, (_, i) => client(i % 2 ? two : one).send({ to: "jobs", subject: `job-${i}`, type: "dispatch" })));
    const got = (await Promise.all(claimers)).flatMap((r) => r.messages.map((m) => m.subject));
    expect(got.sort()).toEqual(Array.from({ length: 10 }, (_, i) => `job-${i}`).sort());
  });
});
