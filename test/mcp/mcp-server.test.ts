import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { toJson } from "@bufbuild/protobuf";
import { ValueSchema } from "@bufbuild/protobuf/wkt";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { ResourceUpdatedNotificationSchema, type CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { MailboxService, SchedulerService } from "@orchestrator/contracts";
import type { MailboxModule } from "@orchestrator/mailbox";
import { createServiceClient } from "@orchestrator/rpc";
import { waitFor } from "@orchestrator/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliEnv, orchestrator } from "../mailbox/cli.js";
import { startStack, type Stack } from "../support/start-stack.js";

/**
 * `orchestrator mcp` driven by the MCP SDK's own Client, over stdio (the CLI
 * spawned as a child process, as an agent's MCP client does) and over
 * Streamable HTTP at /mcp on the control plane's port, against one control
 * plane with an API key configured.
 */
const BIN = join(import.meta.dirname, "../../apps/cli/bin/orchestrator.js");
const KEY = "mcp-test-key-5d1e";
let stack: Stack;
const mailbox = () => createServiceClient(MailboxService, { address: stack.address, apiKey: KEY });
const scheduler = () => createServiceClient(SchedulerService, { address: stack.address, apiKey: KEY });
const waiters = () => (stack.plane.modules.get("mailbox") as MailboxModule).waiterCount();

/** A CLI environment against the stack, with its key. */
function keyedEnv(): Record<string, string> {
  return { ...(cliEnv(stack.address) as Record<string, string>), ORCHESTRATOR_API_KEY: KEY };
}

/** Connects an SDK client as `handle` over the given transport. */
async function connect(kind: "stdio" | "http", handle: string): Promise<Client> {
  const client = new Client({ name: "mcp-test", version: "1.0.0" });
  if (kind === "stdio") {
    // The identity and key come from an MCP configuration file, as the agent runner hands them to codex.
    const config = join(mkdtempSync(join(tmpdir(), "mcp-test-")), "mcp.json");
    writeFileSync(config, JSON.stringify({ mcpServers: { orchestrator: { env: { ORCHESTRATOR_HANDLE: handle, ORCHESTRATOR_API_KEY: KEY } } } }), { mode: 0o600 });
    const env = cliEnv(stack.address) as Record<string, string>;
    await client.connect(new StdioClientTransport({ command: process.execPath, args: [BIN, "mcp", "--config", config], env, stderr: "ignore" }));
  } else {
    const headers = { authorization: `Bearer ${KEY}`, "x-orchestrator-caller": handle };
    await client.connect(new StreamableHTTPClientTransport(new URL(`http://${stack.address}/mcp`), { requestInit: { headers } }));
  }
  return client;
}

/** Calls a tool; answers its parsed JSON result, or its error text (prefixed `error: `). */
async function call(client: Client, name: string, args: Record<string, unknown> = {}): Promise<any> {
  const res = (await client.callTool({ name, arguments: args })) as CallToolResult;
  const text = (res.content[0] as { text: string }).text;
  return res.isError ? `error: ${text}` : (JSON.parse(text) as unknown);
}

beforeAll(async () => {
  stack = await startStack({ services: ["health", "router", "mailbox", "scheduler"], env: { ORCHESTRATOR_API_KEY: KEY } });
}, 90_000);
afterAll(() => stack?.close());

describe.each(["stdio", "http"] as const)("orchestrator mcp over %s", { timeout: 60_000 }, (kind) => {
  const me = `mcp-${kind}`;
  let client: Client;
  beforeAll(async () => {
    client = await connect(kind, me);
  }, 30_000);
  afterAll(() => client?.close());

  it("lists every tool with a JSON schema taken from the proto's field rules", async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual([
      "send", "check", "reply", "inbox", "worker_done", "escalate", "task_create", "task_list", "task_show", "gate_create", "gate_resolve", "instances", "health",
    ]);
    const schema = (name: string) => tools.find((t) => t.name === name)!.inputSchema as any;
    expect(schema("send").required).toEqual(["to", "subject"]);
    expect(schema("send").properties.to).toMatchObject({ type: "string", minLength: 1, maxLength: 256 });
    expect(schema("send").properties.priority.enum).toEqual(["normal", "high", "urgent"]);
    expect(schema("check").properties.types.items.enum).toContain("worker_done");
    expect(schema("check").properties.timeout_ms).toMatchObject({ type: "integer", minimum: 0, maximum: 3_600_000 });
    expect(schema("task_create").properties.deps).toMatchObject({ type: "array", uniqueItems: true, maxItems: 1000 });
    expect(schema("gate_create").properties.timeout_seconds).toMatchObject({ type: "integer", minimum: 1, maximum: 31_536_000 });
  });

  it("send then check with wait returns the message, and marks it read", async () => {
    const sent = await call(client, "send", { to: me, subject: "note to self", payload: { n: 1 }, priority: "high" });
    expect(sent.messages).toHaveLength(1);
    const got = await call(client, "check", { wait: true, timeout_ms: 10_000 });
    expect(got.timedOut).toBe(false);
    expect(got.messages).toEqual([expect.objectContaining({ subject: "note to self", from: me, to: me, priority: "high", payload: { n: 1 } })]);
    expect((await mailbox().check({ handle: me, unreadOnly: true })).messages).toEqual([]);
  });

  it("a waiting check is woken by a send made through the RPC from another process", async () => {
    const before = waiters();
    const waiting = call(client, "check", { wait: true, timeout_ms: 30_000 });
    await waitFor("the check to wait in the mailbox", () => waiters() > before);
    await orchestrator(keyedEnv(), "send", "--from", "tester", "--to", me, "--subject", "wake up");
    const got = await waiting;
    expect(got.messages.map((m: { subject: string }) => m.subject)).toEqual(["wake up"]);
  });

  it("worker_done settles a dispatched task and its dependents become ready", async () => {
    const [a, b] = [`${kind}-build`, `${kind}-test`];
    await scheduler().createTask({ id: a, spec: "build it" });
    await scheduler().createTask({ id: b, spec: "test it", deps: [a] });
    const { dispatch } = await scheduler().dispatch({ taskId: a, to: me, inject: true });
    // stdio: found from the dispatch message in the inbox; http: named.
    const done = await call(client, "worker_done", { result: { built: kind }, summary: "built", ...(kind === "http" ? { task_id: a } : {}) });
    expect(done).toMatchObject({ type: "worker_done", task: a, dispatch: dispatch!.id, to: dispatch!.replyTo });
    const task = await waitFor(`task ${a} to complete`, async () => {
      const { task } = await scheduler().getTask({ id: a });
      return task?.status === "completed" ? task : undefined;
    });
    expect(toJson(ValueSchema, task.result!)).toEqual({ built: kind });
    expect((await scheduler().getTask({ id: b })).task?.status).toBe("ready");
    expect(await call(client, "worker_done", { task_id: a })).toBe(`error: dispatch_id: dispatch ${dispatch!.id} of task ${a} is completed, not in flight: nothing was sent`);
  });

  it("gate_create blocks a task and gate_resolve releases it", async () => {
    const t = `${kind}-ship`;
    await call(client, "task_create", { id: t, spec: "ship it" });
    const created = await call(client, "gate_create", { task_id: t, question: "ship?", options: ["yes", "no"] });
    expect(created.task.status).toBe("blocked");
    expect((await call(client, "task_show", { id: t })).gates).toEqual([expect.objectContaining({ id: created.gate.id, status: "pending" })]);
    const resolved = await call(client, "gate_resolve", { id: created.gate.id, resolution: "yes" });
    expect(resolved.gate).toMatchObject({ status: "resolved", resolution: "yes", resolvedBy: me });
    expect((await scheduler().getTask({ id: t })).task?.status).toBe("ready");
  });

  it("a bad argument gets a tool error naming the field and the reason, and nothing is written", async () => {
    const tasksBefore = (await scheduler().listTasks({})).tasks.length;
    expect(await call(client, "send", { to: "nobody-here", subject: "x", priority: "loud" })).toBe("error: priority: must be one of normal, high, urgent");
    expect(await call(client, "task_create", { id: "bad id!", spec: "x" })).toBe("error: id: must match ^([A-Za-z0-9][A-Za-z0-9_.:-]*)?$");
    expect(await call(client, "task_create", { spec: "" , colour: "red" })).toBe("error: colour: is not an argument of this tool; spec: must have at least 1 character");
    // Past the schema, the service's own checks answer the same way.
    expect(await call(client, "task_create", { id: `${kind}-orphan`, spec: "x", deps: ["no-such-task"] })).toBe('error: deps[0]: unknown dependency "no-such-task": no task has this id');
    expect(await call(client, "task_show", { id: "no-such-task" })).toMatch(/^error: NOT_FOUND \(unknown_task\): /);
    expect((await mailbox().inbox({ handle: "nobody-here" })).messages).toEqual([]);
    expect((await scheduler().listTasks({})).tasks.length).toBe(tasksBefore);
  });

  it("offers its inbox as a resource and pushes an update to a subscriber when a message arrives", async () => {
    const { resources } = await client.listResources();
    expect(resources.map((r) => r.uri)).toEqual([`orchestrator://mailbox/${me}`, "orchestrator://dispatch/current"]);
    const updated: string[] = [];
    client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => void updated.push(n.params.uri));
    const before = waiters();
    await client.subscribeResource({ uri: `orchestrator://mailbox/${me}` });
    await waitFor("the subscription to follow the mailbox", () => waiters() > before);
    await mailbox().send({ to: me, from: "tester", subject: "ping" });
    await waitFor("the resource update", () => updated.includes(`orchestrator://mailbox/${me}`));
    const read = await client.readResource({ uri: `orchestrator://mailbox/${me}` });
    expect(JSON.parse((read.contents[0] as { text: string }).text).messages[0]).toMatchObject({ subject: "ping", from: "tester" });
    await client.unsubscribeResource({ uri: `orchestrator://mailbox/${me}` });
    await waitFor("the subscription to end", () => waiters() === before);
  });

  it("frees the mailbox waiter of a waiting check when the client goes away (last: it ends the session)", async () => {
    const before = waiters();
    const pending = client.callTool({ name: "check", arguments: { wait: true, types: ["handoff"], timeout_ms: 600_000 } }).catch(() => undefined);
    await waitFor("the check to wait in the mailbox", () => waiters() === before + 1);
    await client.close();
    await waitFor("the waiter to be freed", () => waiters() === before, { timeoutMs: 15_000 });
    await pending;
  });
});

describe("Streamable HTTP auth", () => {
  it("answers 401 with a JSON error without a valid key, before reading anything", async () => {
    const init = { jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "x", version: "1" } } };
    const post = (headers: Record<string, string>) =>
      fetch(`http://${stack.address}/mcp`, { method: "POST", headers: { "content-type": "application/json", accept: "application/json, text/event-stream", ...headers }, body: JSON.stringify(init) });
    const missing = await post({});
    expect(missing.status).toBe(401);
    expect(await missing.json()).toEqual({ error: { code: "unauthenticated", reason: "missing_api_key", message: "missing Authorization: Bearer <key> header" } });
    const wrong = await post({ authorization: "Bearer not-the-key" });
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as { error: { reason: string } }).error.reason).toBe("invalid_api_key");
    const client = new Client({ name: "no-key", version: "1" });
    await expect(client.connect(new StreamableHTTPClientTransport(new URL(`http://${stack.address}/mcp`)))).rejects.toThrow(/missing_api_key/);
  });
});
