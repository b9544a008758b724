import http from "node:http";
import type { AddressInfo } from "node:net";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMcpHttpEndpoint } from "./create-mcp-http-endpoint.js";

/** The endpoint on a plain HTTP server, without keys (loopback only): what it refuses before any service call. */
describe("the /mcp endpoint's origin checks", () => {
  const endpoint = createMcpHttpEndpoint({ apiKeys: [], logger: pino({ level: "silent" }), addresses: () => ({ mailbox: "127.0.0.1:1", scheduler: "127.0.0.1:1", health: "127.0.0.1:1" }) });
  const server = http.createServer((req, res) => {
    if (!endpoint.handler(req, res)) res.writeHead(404).end("not mcp");
  });
  let port = 0;
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await endpoint.close();
    await new Promise((resolve) => server.close(resolve));
  });

  const post = (path: string, headers: Record<string, string>) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request({ host: "127.0.0.1", port, path, method: "POST", headers: { "content-type": "application/json", ...headers } }, (res) => {
        let body = "";
        res.on("data", (c: Buffer) => (body += c.toString()));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on("error", reject);
      req.end("{}");
    });

  it("refuses a Host that is no loopback name (DNS rebinding) and a foreign Origin, with 403 and a JSON reason", async () => {
    const rebound = await post("/mcp", { host: `evil.example:${port}` });
    expect(rebound.status).toBe(403);
    expect(JSON.parse(rebound.body)).toMatchObject({ error: { code: "permission_denied", reason: "host_not_allowed" } });
    const foreign = await post("/mcp", { host: `127.0.0.1:${port}`, origin: "http://evil.example" });
    expect(JSON.parse(foreign.body)).toMatchObject({ error: { reason: "origin_not_allowed" } });
    expect(foreign.status).toBe(403);
  });

  it("lets loopback requests through to the MCP checks, and leaves other paths to the next handler", async () => {
    const noSession = await post("/mcp", { host: `localhost:${port}`, origin: `http://localhost:${port}` });
    expect(noSession.status).toBe(400);
    expect(JSON.parse(noSession.body)).toMatchObject({ jsonrpc: "2.0", error: { code: -32000 } });
    expect(await post("/mcp-not", { host: `127.0.0.1:${port}` })).toEqual({ status: 404, body: "not mcp" });
    expect(endpoint.sessionCount()).toBe(0);
  });
});
