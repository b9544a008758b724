import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { waitFor } from "@orchestrator/testing";
import { describe, expect, it } from "vitest";
import { type AgentCommandOptions, runAgentCommand } from "./run-agent-command.js";

const FAKE_AGENT = join(import.meta.dirname, "../../../test/agents/fake-agent.mjs");
const workdir = mkdtempSync(join(tmpdir(), "agent-run-"));

function run(input: string, overrides: Partial<AgentCommandOptions> = {}) {
  const lines: [string, string][] = [];
  const exit = runAgentCommand({
    command: [process.execPath, FAKE_AGENT],
    input,
    inputMode: "arg",
    cwd: workdir,
    env: { PATH: process.env.PATH, ORCHESTRATOR_HANDLE: "kite-1", ORCHESTRATOR_TASK_ID: "t1" },
    timeoutMs: 30_000,
    killGraceMs: 500,
    onLine: (stream, text) => lines.push([stream, text]),
    ...overrides,
  });
  return { exit, lines };
}

describe("runAgentCommand", () => {
  it("passes the input as the last argument and reports stdout and stderr lines as they come", async () => {
    const { exit, lines } = run("do the thing noisy:2");
    expect(await exit).toMatchObject({ outcome: "exited", exitCode: 0, signal: null });
    expect(lines).toContainEqual(["stdout", "fake-agent kite-1: task t1"]);
    expect(lines).toContainEqual(["stdout", "fake-agent: read 20 characters from the argument"]);
    expect(lines).toContainEqual(["stderr", `fake-agent: working in ${workdir}`]);
    expect(lines).toContainEqual(["stdout", "fake-agent noise 2/2 (task t1)"]);
  });

  it("writes the input to stdin with --input stdin", async () => {
    const { exit, lines } = run("from stdin é", { inputMode: "stdin" });
    expect((await exit).exitCode).toBe(0);
    expect(lines).toContainEqual(["stdout", "fake-agent: read 12 characters from stdin"]);
  });

  it("reports a non-zero exit with its code", async () => {
    const { exit, lines } = run("fail:3");
    expect(await exit).toMatchObject({ outcome: "exited", exitCode: 3 });
    expect(lines).toContainEqual(["stderr", "fake-agent: failing on purpose with exit 3"]);
  });

  it("terminates the whole process group when aborted, the agent's own children too", async () => {
    const pidFile = join(workdir, "grandchild.pid");
    const script = `
      const { spawn } = require("node:child_process");
      const child = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" });
      require("node:fs").writeFileSync(${JSON.stringify(pidFile)}, String(child.pid));
      console.log("started");
      setInterval(() => {}, 1000);`;
    const abort = new AbortController();
    const { exit, lines } = run("", { command: [process.execPath, "-e", script], inputMode: "stdin", signal: abort.signal });
    await waitFor("the command and its child to start", () => lines.length > 0);
    abort.abort();
    expect(await exit).toMatchObject({ outcome: "aborted", exitCode: null, signal: "SIGTERM" });
    expect(lines).toEqual([["stdout", "started"]]);
    const grandchild = Number(readFileSync(pidFile, "utf8"));
    await waitFor("the grandchild to be gone", () => !alive(grandchild));
  });

  it("terminates a command that outlives its timeout", async () => {
    const { exit } = run("hang", { timeoutMs: 200 });
    expect(await exit).toMatchObject({ outcome: "timed_out", exitCode: null, signal: "SIGTERM" });
  });

  it("SIGKILLs a command that ignores SIGTERM after the grace period", async () => {
    const script = `process.on("SIGTERM", () => console.log("ignoring SIGTERM")); console.log("up"); setInterval(() => {}, 1000);`;
    const abort = new AbortController();
    const { exit, lines } = run("", { command: [process.execPath, "-e", script], inputMode: "stdin", signal: abort.signal, killGraceMs: 200 });
    await waitFor("the command to start", () => lines.length > 0);
    abort.abort();
    expect(await exit).toMatchObject({ outcome: "aborted", signal: "SIGKILL" });
    expect(lines).toContainEqual(["stdout", "ignoring SIGTERM"]);
  });

  it("answers spawn_failed for a command that cannot start", async () => {
    const { exit } = run("x", { command: ["/no/such/agent"] });
    const ended = await exit;
    expect(ended.outcome).toBe("spawn_failed");
    expect(ended.error).toMatch(/ENOENT/);
    expect(existsSync(workdir)).toBe(true);
  });
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
