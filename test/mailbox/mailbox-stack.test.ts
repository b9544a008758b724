import { HealthService, MailboxService } from "@orchestrator/contracts";
import type { MailboxModule } from "@orchestrator/mailbox";
import { createServiceClient } from "@orchestrator/rpc";
import { waitFor } from "@orchestrator/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStack, type Stack } from "../support/start-stack.js";
import { cliEnv, orchestrator, startOrchestrator } from "./cli.js";

const EIGHT = ["A", "B", "C", "D", "E", "F", "G", "H"];
let stack: Stack;
let env: NodeJS.ProcessEnv;
const mailbox = () => createServiceClient(MailboxService, { address: stack.address });
const waiters = () => (stack.plane.modules.get("mailbox") as MailboxModule).waiterCount();

beforeAll(async () => {
  stack = await startStack({ services: ["health", "mailbox"] });
  env = cliEnv(stack.address);
  const health = createServiceClient(HealthService, { address: stack.address });
  for (const [i, name] of EIGHT.entries()) {
    await health.registerInstance({ name, address: `127.0.0.1:${7200 + i}`, pool: i < 4 ? "kite" : "demo", labels: { zone: i % 2 ? "b" : "a" } });
  }
}, 60_000);
afterAll(() => stack?.close());

describe("mailbox with the real health service", () => {
  it("sends to @all of 8 registered instances: 8 messages, one thread, independent reads", async () => {
    const res = await mailbox().send({ to: "@all", from: "coordinator", subject: "standup" });
    expect(res.messages.map((m) => m.to)).toEqual(EIGHT);
    expect(new Set(res.messages.map((m) => m.threadId))).toEqual(new Set([res.threadId]));
    await mailbox().markRead({ ids: [res.messages[2]!.id] });
    const unread = await Promise.all(EIGHT.map(async (h) => (await mailbox().check({ handle: h, unreadOnly: true })).messages.length));
    expect(unread).toEqual([1, 1, 0, 1, 1, 1, 1, 1]);
  });

  it("resolves pools, labels and ranges through the registry and names a selector that matches nothing", async () => {
    expect((await mailbox().send({ to: "@pool:kite", subject: "s" })).messages.map((m) => m.to)).toEqual(["A", "B", "C", "D"]);
    expect((await mailbox().send({ to: "@label:zone=b", subject: "s" })).messages.map((m) => m.to)).toEqual(["B", "D", "F", "H"]);
    expect((await mailbox().send({ to: "F-H", subject: "s" })).messages.map((m) => m.to)).toEqual(["F", "G", "H"]);
    const err = await orchestrator(env, "send", "--to", "@pool:nobody", "--subject", "s").catch((e: { stderr: string }) => e.stderr);
    expect(err).toContain("NOT_FOUND");
    expect(err).toContain("error: NOT_FOUND: to: selector \"@pool:nobody\" matched no instance");
    expect(err).toContain("@pool:nobody");
  });
});

describe("the CLI", () => {
  it("check --wait --types worker_done blocks, ignores other types and returns the matching message", async () => {
    const waiting = startOrchestrator(env, "check", "--handle", "coord", "--wait", "--types", "worker_done", "--timeout-ms", "60000", "--json");
    await waitFor("the CLI's waiting check", () => waiters() === 1, { timeoutMs: 30_000 });
    await orchestrator(env, "send", "--to", "coord", "--from", "A", "--subject", "still working", "--type", "status");
    expect(waiting.exited()).toBe(false);
    await orchestrator(env, "send", "--to", "coord", "--from", "B", "--subject", "t1 done", "--type", "worker_done", "--payload", '{"task":"t1"}');
    const { code, stdout } = await waiting.done;
    expect(code).toBe(0);
    const out = JSON.parse(stdout) as { messages: Array<Record<string, string>>; timedOut: boolean };
    expect(out.timedOut).toBe(false);
    expect(out.messages.map((m) => [m.from, m.subject, m.type, m.payload])).toEqual([["B", "t1 done", "worker_done", '{"task":"t1"}']]);
    // It was marked read; the status message is still unread.
    const left = await mailbox().check({ handle: "coord", unreadOnly: true });
    expect(left.messages.map((m) => m.subject)).toEqual(["still working"]);
  }, 60_000);

  it("renders --inject banners with priority markers, defaulting the handle from ORCHESTRATOR_HANDLE", async () => {
    await mailbox().send({ to: "agent-7", from: "coordinator", subject: "fix the build", priority: "urgent", type: "dispatch", body: "main is red" });
    await mailbox().send({ to: "agent-7", from: "coordinator", subject: "review", priority: "high" });
    await mailbox().send({ to: "agent-7", from: "coordinator", subject: "fyi" });
    const out = await orchestrator({ ...env, ORCHESTRATOR_HANDLE: "agent-7" }, "check", "--unread", "--inject");
    const banners = out.split("=== END MESSAGE ===").map((b) => b.trim()).filter(Boolean);
    expect(banners).toHaveLength(3);
    expect(banners[0]).toMatch(/^=== \[URGENT\] MESSAGE from coordinator to agent-7 \(dispatch\) ===/);
    expect(banners[0]).toContain("main is red");
    expect(banners[0]).toMatch(/reply: orchestrator reply --id [0-9a-f-]{36} --body/);
    expect(banners[1]).toMatch(/^=== \[HIGH\] MESSAGE/);
    expect(banners[2]).toMatch(/^=== MESSAGE from coordinator/);
    expect(await orchestrator({ ...env, ORCHESTRATOR_HANDLE: "agent-7" }, "check", "--unread", "--inject")).toBe("");
  }, 60_000);

  it("subscribe streams a mailbox as JSON lines with seqs; mark-read --all clears the unread", async () => {
    await mailbox().send({ to: "watcher", subject: "before" });
    const following = startOrchestrator(env, "--json", "subscribe", "--handle", "watcher", "--after", "0");
    await waitFor("the CLI's subscription", () => waiters() === 1, { timeoutMs: 30_000 });
    await mailbox().send({ to: "watcher", subject: "after", priority: "high" });
    await waitFor("two streamed messages", () => following.stdout().trim().split("\n").filter(Boolean).length === 2);
    following.child.kill("SIGTERM");
    await following.done;
    const lines = following.stdout().trim().split("\n").map((l) => JSON.parse(l) as { seq: string; subject: string });
    expect(lines.map((l) => [l.seq, l.subject])).toEqual([["1", "before"], ["2", "after"]]);
    expect(await orchestrator(env, "mark-read", "--all", "--handle", "watcher")).toBe("marked 2 messages read\n");
  }, 60_000);

  it("replies into the thread, lists the inbox and resets messages", async () => {
    const sent = JSON.parse(await orchestrator(env, "--json", "send", "--to", "kite-9", "--from", "lead", "--subject", "ship?")) as {
      threadId: string;
      messages: Array<{ id: string }>;
    };
    const reply = JSON.parse(await orchestrator({ ...env, ORCHESTRATOR_HANDLE: "kite-9" }, "--json", "reply", "--id", sent.messages[0]!.id, "--body", "yes")) as Record<string, string>;
    expect(reply).toMatchObject({ from: "kite-9", to: "lead", threadId: sent.threadId, subject: "Re: ship?" });
    const inbox = JSON.parse(await orchestrator(env, "--json", "inbox", "--handle", "lead", "--limit", "5")) as { messages: Array<{ body: string }>; unreadCount: number };
    expect(inbox.messages.map((m) => m.body)).toEqual(["yes"]);
    expect(inbox.unreadCount).toBe(1);

    expect(await orchestrator(env, "reset", "--messages", "--handle", "lead")).toBe("reset messages of lead: 1 deleted\n");
    const all = JSON.parse(await orchestrator(env, "--json", "reset", "--messages")) as { messages: { deleted: number } };
    expect(all.messages.deleted).toBeGreaterThan(0);
    expect((await mailbox().inbox({ handle: "kite-9" })).messages).toEqual([]);
  }, 60_000);
});
