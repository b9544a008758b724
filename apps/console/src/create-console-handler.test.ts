import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONSOLE_CSP } from "./console-headers.js";
import { createConsoleHandler } from "./create-console-handler.js";

let dir: string;
let empty: string;
let server: Server;
let base: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "console-assets-"));
  empty = mkdtempSync(join(tmpdir(), "console-empty-"));
  mkdirSync(join(dir, "assets"));
  writeFileSync(join(dir, "index.html"), "<!doctype html><title>console</title>");
  writeFileSync(join(dir, "assets", "index-abc.js"), `console.log(${JSON.stringify("x".repeat(4000))});`);
  writeFileSync(join(dir, ".inputs-sha256"), "digest");
  const built = createConsoleHandler({ dir });
  const notBuilt = createConsoleHandler({ dir: empty });
  server = createServer((req, res) => {
    const handler = req.headers["x-not-built"] ? notBuilt : built;
    if (!handler(req, res)) {
      res.writeHead(404, { "x-fell-through": "1" });
      res.end();
    }
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((r) => server.close(r));
  rmSync(dir, { recursive: true, force: true });
  rmSync(empty, { recursive: true, force: true });
});

describe("createConsoleHandler", () => {
  it("serves index.html at / with the strict CSP, no CORS and no caching", async () => {
    const res = await fetch(`${base}/`, { headers: { origin: "https://elsewhere.example" } });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("<title>console</title>");
    expect(res.headers.get("content-security-policy")).toBe(CONSOLE_CSP);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(res.headers.get("cache-control")).toBe("no-cache");
    expect([...res.headers.keys()].filter((h) => h.startsWith("access-control-"))).toEqual([]);
  });

  it("serves hashed assets gzipped and immutable, HEAD without a body", async () => {
    const res = await fetch(`${base}/assets/index-abc.js`, { headers: { "accept-encoding": "gzip" } });
    expect(res.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(res.headers.get("content-encoding")).toBe("gzip");
    expect(res.headers.get("cache-control")).toContain("immutable");
    expect(await res.text()).toContain("xxxx");
    const head = await fetch(`${base}/assets/index-abc.js`, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe("");
  });

  it("passes on everything else: RPC paths, other methods, unknown files, dot files, paths out of the directory", async () => {
    for (const [path, method] of [
      ["/orchestrator.health.v1.HealthService/ListInstances", "POST"],
      ["/", "POST"],
      ["/assets/missing.js", "GET"],
      ["/.inputs-sha256", "GET"],
      ["/assets/../../etc/passwd", "GET"],
      ["/%2e%2e/package.json", "GET"],
    ] as const) {
      const res = await fetch(`${base}${path}`, { method });
      expect(res.headers.get("x-fell-through"), `${method} ${path}`).toBe("1");
    }
  });

  it("says how to build the console when its assets are missing", async () => {
    const res = await fetch(`${base}/`, { headers: { "x-not-built": "1" } });
    expect(res.status).toBe(503);
    expect(await res.text()).toContain("npm run build");
    expect(res.headers.get("content-security-policy")).toBe(CONSOLE_CSP);
    expect((await fetch(`${base}/assets/index-abc.js`, { headers: { "x-not-built": "1" } })).headers.get("x-fell-through")).toBe("1");
  });
});
