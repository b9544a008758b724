import { create } from "@bufbuild/protobuf";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { CheckResponseSchema, type CheckRequest } from "@orchestrator/contracts";
import { waitFor } from "@orchestrator/testing";
import { describe, expect, it } from "vitest";
import { createOrchestratorMcpServer } from "./create-orchestrator-mcp-server.js";
import type { OrchestratorClients } from "./orchestrator-clients.js";

/** A mailbox whose Check waits until released (or aborted), recording what it was asked. */
function holdingMailbox() {
  const calls: Array<{ request: CheckRequest; signal: AbortSignal; headers: Record<string, string> }> = [];
  let release = () => {};
  const mailbox = {
    check: (request: CheckRequest, options: { signal: AbortSignal; headers: Record<string, string> }) =>
      new Promise((resolve, reject) => {
        calls.push({ request, signal: options.signal, headers: options.headers });
        release = () => resolve(create(CheckResponseSchema, { timedOut: true }));
        options.signal.addEventListener("abort", () => reject(new Error("aborted")), { once: true });
      }),
  };
  return { clients: { mailbox } as unknown as OrchestratorClients, calls, release: () => release() };
}

async function connected(clients: OrchestratorClients) {
  const mcp = createOrchestratorMcpServer({ clients, identity: { handle: "kite-1" }, progressIntervalMs: 20 });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await mcp.server.connect(serverSide);
  const client = new Client({ name: "t", version: "1" });
  await client.connect(clientSide);
  return { mcp, client };
}

describe("createOrchestratorMcpServer", () => {
  it("a waiting check reports progress while it waits, as the caller's handle, and answers when the mailbox does", async () => {
    const mailbox = holdingMailbox();
    const { client } = await connected(mailbox.clients);
    const progress: number[] = [];
    const call = client.callTool({ name: "check", arguments: { wait: true, types: ["handoff"] } }, undefined, {
      onprogress: (p) => void progress.push(p.progress),
      resetTimeoutOnProgress: true,
    });
    await waitFor("two progress reports", () => progress.length >= 2);
    expect(mailbox.calls[0]!.request).toMatchObject({ handle: "kite-1", wait: true, timeoutMs: 50_000, types: ["handoff"], markRead: true });
    expect(mailbox.calls[0]!.headers).toEqual({ "x-orchestrator-caller": "kite-1" });
    mailbox.release();
    const result = (await call) as CallToolResult;
    expect(JSON.parse((result.content[0] as { text: string }).text)).toEqual({ messages: [], timedOut: true });
    await client.close();
  });

  it("closing the session aborts the call it holds (its RPC is cancelled)", async () => {
    const mailbox = holdingMailbox();
    const { mcp, client } = await connected(mailbox.clients);
    const call = client.callTool({ name: "check", arguments: { wait: true } }).catch((e: unknown) => e);
    await waitFor("the check to reach the mailbox", () => mailbox.calls.length === 1);
    await mcp.server.close();
    expect(mailbox.calls[0]!.signal.aborted).toBe(true);
    await call;
  });
});
