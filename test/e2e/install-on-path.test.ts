import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, "../..");
const prefix = mkdtempSync(join(tmpdir(), "orch-global-"));
afterAll(() => rmSync(prefix, { recursive: true, force: true }));

/**
 * `npm install -g .` from the repository (what README's "On your PATH"
 * says; `npm link` makes the same link) puts a working `orchestrator` on
 * PATH, run from any directory. A private prefix stands in for the global one.
 */
describe("orchestrator installed on PATH", () => {
  it("npm install -g of the repository gives an orchestrator command that runs from anywhere", async () => {
    await run("npm", ["install", "-g", "--prefix", prefix, ROOT, "--no-audit", "--no-fund"], { cwd: tmpdir() });
    const env = { ...process.env, PATH: `${join(prefix, "bin")}:${process.env.PATH}`, ORCHESTRATOR_API_KEY: "secret-123" };
    const version = await run("orchestrator", ["--version"], { cwd: tmpdir(), env });
    expect(version.stdout).toBe("0.1.0\n");
    const help = await run("orchestrator", ["status", "--help"], { cwd: tmpdir(), env });
    expect(help.stdout).toMatch(/^Usage: orchestrator status/);
    expect(help.stdout).not.toContain("secret-123");
    const down = await run("orchestrator", ["--json", "status", "--addr", "127.0.0.1:1"], { cwd: tmpdir(), env }).then(
      (r) => ({ ...r, code: 0 }),
      (e: { stdout: string; code: number }) => e,
    );
    expect(down.code).toBe(1);
    expect(JSON.parse(down.stdout)).toMatchObject({ runtime: false, addr: "127.0.0.1:1" });
  }, 120_000);
});
