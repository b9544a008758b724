import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { demoInstances, type DemoInstances } from "../support/demo-instances.js";
import { startStack, type Stack } from "../support/start-stack.js";
import { waitForRouterView } from "../support/wait-router-view.js";
import { seedShell, type SeedShell } from "./seed-shell.js";

/**
 * Seed 001, the `openclaw orchestrator` skill: every command and flag it
 * shows, as written with `orchestrator` for `openclaw orchestrator`, against
 * one control plane that requires the key the skill says to export, with
 * demo instances A-H.
 */
const KEY = "secret-123";
const EIGHT = ["A", "B", "C", "D", "E", "F", "G", "H"];
let stack: Stack;
let demos: DemoInstances;
let sh: SeedShell;

beforeAll(async () => {
  // No instance is killed here: probing tolerates a loaded machine (slow answers are not failures, and five in a row make `down`).
  stack = await startStack({
    services: ["health", "router"],
    env: { ORCHESTRATOR_PROBE_INTERVAL_MS: "500", ORCHESTRATOR_PROBE_TIMEOUT_MS: "3000", ORCHESTRATOR_PROBE_FAILURE_THRESHOLD: "5", ORCHESTRATOR_API_KEY: KEY },
  });
  demos = demoInstances(stack.address, EIGHT, "demo", KEY);
  await demos.waitHealthy(EIGHT);
  await waitForRouterView(stack, EIGHT);
  sh = seedShell(stack.address, { ORCHESTRATOR_API_KEY: KEY });
}, 200_000);
afterAll(async () => {
  sh?.close();
  await demos?.close();
  await stack?.close();
});

/** A-H healthy in the health service and the router's view (a loaded machine can make probes miss for a moment). */
async function allHealthy(): Promise<void> {
  await demos.waitHealthy(EIGHT);
  await waitForRouterView(stack, EIGHT);
}

type Served = { instance: string; result: { instance: string; echo: unknown }; attempts: Array<{ number: number; code: string }> };
type Fanned = { results: Array<{ instance: string; status: string }>; summary: { aggregate: string; satisfied: boolean; succeeded: number } };

describe("seed: the openclaw orchestrator skill", { timeout: 120_000 }, () => {
  beforeEach(allHealthy, 200_000);

  it("route --instances A B --payload '{\"data\": \"task\"}': one of A and B serves the payload", async () => {
    const human = await sh.ok(`orchestrator route --instances A B --payload '{"data": "task"}'`);
    expect(human).toMatch(/^served by [AB] \(attempt 1\)/);
    const res = await sh.json<Served>(`orchestrator route --instances A B --payload '{"data": "task"}' --json`);
    expect(["A", "B"]).toContain(res.instance);
    expect(res.result.echo).toEqual({ data: "task" });
  });

  it("fanout --targets A-H --aggregate true --timeout 10s: every instance answers, aggregated (true is all)", async () => {
    const human = await sh.ok("orchestrator fanout --targets A-H --aggregate true --timeout 10s");
    for (const name of EIGHT) expect(human).toMatch(new RegExp(`^${name} +ok`, "m"));
    expect(human).toContain("aggregate all: 8 ok, 0 failed; satisfied: yes");
    const res = await sh.json<Fanned>("orchestrator fanout --targets A-H --aggregate true --timeout 10s --json");
    expect(res.results.map((r) => [r.instance, r.status])).toEqual(EIGHT.map((n) => [n, "RESULT_STATUS_OK"]));
    expect(res.summary).toMatchObject({ aggregate: "all", satisfied: true, succeeded: 8 });
  });

  it("export ORCHESTRATOR_API_KEY=... then fanout --aggregate true > output.json: the aggregated answers land in the file", async () => {
    const run = await sh.run(`export ORCHESTRATOR_API_KEY=${KEY}\norchestrator fanout --targets A-H --aggregate true > output.json`, { ORCHESTRATOR_API_KEY: "" });
    expect(run).toMatchObject({ code: 0, stderr: "" });
    const output = readFileSync(join(sh.dir, "output.json"), "utf8");
    for (const name of EIGHT) expect(output).toMatch(new RegExp(`^${name} +ok`, "m"));
    const json = await sh.run(`export ORCHESTRATOR_API_KEY=${KEY}\norchestrator --json fanout --targets A-H --aggregate true > output.json`, { ORCHESTRATOR_API_KEY: "" });
    expect(json.code).toBe(0);
    expect((JSON.parse(readFileSync(join(sh.dir, "output.json"), "utf8")) as Fanned).results).toHaveLength(8);
  });

  it("--aggregate false: each instance's answer as it arrives, no combined verdict", async () => {
    const out = await sh.ok("orchestrator fanout --targets A-H --aggregate false --timeout 10s");
    expect(out.trim().split("\n").sort().map((l) => l.split(/\s+/).slice(0, 2).join(" "))).toEqual(EIGHT.map((n) => `${n} ok`));
    expect(out).not.toContain("aggregate");
  });

  it("sessions_spawn --id session1; sessions_send --id session1 --data '{\"key\": \"value\"}': the session is pinned and the data delivered in order", async () => {
    const out = await sh.ok(`orchestrator sessions_spawn --id session1; orchestrator sessions_send --id session1 --data '{"key": "value"}'`);
    const pinned = /^session session1 pinned to (\S+)/m.exec(out)?.[1];
    expect(EIGHT).toContain(pinned);
    expect(out).toMatch(new RegExp(`^session1 #1 -> ${pinned}$`, "m"));
    expect(out).toContain('"key": "value"');
  });

  it("health --instances A-H --output json: the status map", async () => {
    const out = await sh.ok("orchestrator health --instances A-H --output json");
    expect(JSON.parse(out)).toEqual(Object.fromEntries(EIGHT.map((n) => [n, "healthy"])));
  });

  it("--timeout 10s, and a bare --timeout 1 is one second: the hanging instance times out, the others answer", async () => {
    const res = await sh.run(`orchestrator fanout --targets A-H --aggregate true --timeout 1 --payload-for 'G={"demo":{"hang":true}}' --json`);
    expect(res.code).toBe(1);
    const fanned = JSON.parse(res.stdout) as Fanned;
    expect(fanned.results.filter((r) => r.status === "RESULT_STATUS_OK").map((r) => r.instance)).toEqual(EIGHT.filter((n) => n !== "G"));
    expect(fanned.results.find((r) => r.instance === "G")!.status).toBe("RESULT_STATUS_TIMEOUT");
  });

  it("--retry 3: three retries after the first attempt (an instance failing 503 three times is served on attempt 4)", async () => {
    const res = await sh.json<Served>(`orchestrator route --instances A --payload '{"demo": {"fail": 3, "key": "seed-retry"}}' --retry 3 --json`);
    expect(res.attempts.map((a) => a.code)).toEqual(["UNAVAILABLE", "UNAVAILABLE", "UNAVAILABLE", "OK"]);
    const short = await sh.run(`orchestrator route --instances A --payload '{"demo": {"fail": 3, "key": "seed-retry-2"}}' --retry 2`);
    expect(short.code).toBe(1);
    expect(short.stderr).toContain("attempt 3: A UNAVAILABLE");
    expect(short.stderr).not.toContain("attempt 4");
    const health = await sh.ok("orchestrator health --instances A-H --output json --retry 3");
    expect(Object.keys(JSON.parse(health) as object)).toEqual(EIGHT);
  });

  it("--config config.json ({\"instances\": [\"A\"], \"timeout\": 5}) for route, fanout and sessions; flags win over the file", async () => {
    writeFileSync(join(sh.dir, "config.json"), JSON.stringify({ instances: ["A"], timeout: 5 }));
    const routed = await sh.json<Served>(`orchestrator route --config config.json --payload '{"data": "task"}' --json`);
    expect(routed.instance).toBe("A");
    const overridden = await sh.json<Served>(`orchestrator route --config config.json --instances B --payload '{"data": "task"}' --json`);
    expect(overridden.instance).toBe("B");
    const fanned = await sh.json<Fanned>("orchestrator fanout --config config.json --aggregate true --json");
    expect(fanned.results.map((r) => r.instance)).toEqual(["A"]);
    writeFileSync(join(sh.dir, "session.json"), JSON.stringify({ id: "session2", instances: ["C"] }));
    expect(await sh.ok("orchestrator sessions_spawn --config session.json")).toMatch(/^session session2 pinned to C/);
    writeFileSync(join(sh.dir, "bad.json"), JSON.stringify({ instance: ["A"] }));
    const bad = await sh.run("orchestrator route --config bad.json");
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe(`error: --config bad.json: unknown key "instance"; this command takes instances, payload, key, retry, timeout, attempt-timeout, no-fallback, work-id, metadata\n`);
  });

  it("authentication: a wrong key is UNAUTHENTICATED with a hint, and the key is printed nowhere (help, version, errors, --json)", async () => {
    const wrong = await sh.run("orchestrator health --instances A-H --output json", { ORCHESTRATOR_API_KEY: "not-the-key" });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain("UNAUTHENTICATED");
    expect(wrong.stderr).toContain("hint: set ORCHESTRATOR_API_KEY or pass --api-key.");
    const lines = [
      "orchestrator --help",
      "orchestrator --version",
      "orchestrator fanout --help",
      "orchestrator fanot --targets A-H",
      "orchestrator route --instances nosuch --payload '{}'",
      "orchestrator route --instances nosuch --payload '{}' --json",
      "orchestrator --json health --instances A-H",
      "orchestrator --addr 127.0.0.1:1 --json health --instances A-H",
    ];
    const runs = await Promise.all(lines.map((line) => sh.run(line)));
    runs.forEach((run, i) => {
      expect(`${run.stdout}${run.stderr}`, lines[i]).not.toContain(KEY);
      expect(`${run.stdout}${run.stderr}`.length, lines[i]).toBeGreaterThan(0);
    });
    // An unknown command is one line with the closest match; --json errors are camelCase.
    expect(runs[3]!.stderr).toBe("error: unknown command 'fanot' (did you mean fanout?); see orchestrator --help\n");
    const jsonError = JSON.parse(runs[5]!.stderr) as { error: Record<string, unknown> };
    expect(jsonError.error).toMatchObject({ code: "NOT_FOUND", reason: "unknown_instance" });
    expect(Object.keys(jsonError.error).every((k) => /^[a-z][A-Za-z]*$/.test(k))).toBe(true);
  });
});
