import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { waitFor } from "@orchestrator/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStack, type Stack } from "../support/start-stack.js";
import { seedShell, type SeedShell } from "./seed-shell.js";

/**
 * Seed 003, the worker-VM dispatcher (`/orchestrator --repo kite --command
 * "..."`): its three example commands as written, with `orchestrator` for
 * `/orchestrator`, on a pool `kite` applied at run time (`pools apply -f`).
 * The repository has a scripts/dev-setup.sh; the agent command is a
 * `claude` that runs the scripted fake agent.
 */
const FAKE_AGENT = join(import.meta.dirname, "../agents/fake-agent.mjs");
let stack: Stack;
let sh: SeedShell;

type Task = { id: string; status: string; result?: Record<string, unknown> };
type Activity = { to: string; detail: string };

beforeAll(async () => {
  // Heartbeats every second; a loaded machine may miss a few without the agents counting as down.
  stack = await startStack({ services: ["health", "router", "mailbox", "scheduler"], env: { ORCHESTRATOR_HEARTBEAT_TIMEOUT_MS: "10000" } });
  sh = seedShell(stack.address);
  const repo = join(sh.dir, "kite-src");
  mkdirSync(join(repo, "scripts"), { recursive: true });
  writeFileSync(join(repo, "README.md"), "kite\n");
  writeFileSync(join(repo, "scripts", "dev-setup.sh"), '#!/bin/bash\nset -e\necho "Setting up..."\ntouch .dev-setup-done\necho "✅ Ready"\n');
  execFileSync("bash", ["-c", "git init -q && git add -A && git -c user.email=t@t -c user.name=t commit -qm init"], { cwd: repo });
  const claude = join(sh.dir, "agents-bin", "claude");
  mkdirSync(join(sh.dir, "agents-bin"));
  writeFileSync(claude, `#!/bin/sh\nexec "${process.execPath}" "${FAKE_AGENT}" "$@"\n`);
  chmodSync(claude, 0o755);
  writeFileSync(join(sh.dir, "pools.yaml"), `pools:\n  kite:\n    repo: ./kite-src\n    command: [${claude}]\n    max: 3\n    workdirRoot: ./sprites\n    provisionTimeout: 2m\n`);
}, 60_000);
afterAll(async () => {
  sh?.close();
  await stack?.close();
});

/** The task of a dispatch's output (`dispatched <task> to kite-N ...`) once it is final. */
async function finished(out: string): Promise<Task> {
  const id = /^dispatched (\S+) to /m.exec(out)![1]!;
  return waitFor(`task ${id} to finish`, async () => {
    const { task } = await sh.json<{ task: Task }>(`orchestrator task get ${id} --json`);
    return task.status === "completed" || task.status === "failed" ? task : undefined;
  }, { timeoutMs: 60_000, intervalMs: 200 });
}

describe("seed: the worker dispatcher", { timeout: 240_000 }, () => {
  it("a pool that does not exist says how to define one", async () => {
    const res = await sh.run(`orchestrator --repo kite --command "fix the authentication bug"`);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('pool "kite" not found');
    expect(res.stderr).toContain("orchestrator pools apply -f pools.yaml");
    expect(res.stderr).toContain("reason: unknown_pool");
  });

  it("pools apply -f pools.yaml creates the pool at run time, stored for every replica", async () => {
    expect(await sh.ok("orchestrator pools apply -f pools.yaml")).toMatch(/^pool kite applied: .*claude in copies of .*kite-src, 0\.\.3 instances$/m);
    const [pool] = await sh.json<Array<{ name: string; source: string; max: number }>>("orchestrator pools --json");
    expect(pool).toMatchObject({ name: "kite", source: "applied", max: 3 });
    writeFileSync(join(sh.dir, "broken.yaml"), "pools:\n  kite:\n    command: [claude]\n");
    const broken = await sh.run("orchestrator pools apply -f broken.yaml");
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain("error: INVALID_ARGUMENT: document: pools.kite.repo is required");
  });

  it('--repo kite --command "fix the authentication bug" and "add user login endpoint": none idle, so kite-1 and kite-2 are provisioned (clone, dev-setup.sh), then dispatched', async () => {
    const [fix, add] = await Promise.all([
      sh.ok(`orchestrator --repo kite --command "fix the authentication bug"`),
      sh.ok(`orchestrator --repo kite --command "add user login endpoint"`),
    ]);
    const worker = (out: string) => /^allocated (kite-\d) from pool kite \(provisioned for this task\)$/m.exec(out)?.[1];
    expect([worker(fix), worker(add)].sort()).toEqual(["kite-1", "kite-2"]);
    for (const out of [fix, add]) expect(out).toMatch(/^watch it: {2}orchestrator agent tail kite-\d --follow$/m);
    const [fixed, added] = await Promise.all([finished(fix), finished(add)]);
    expect(fixed).toMatchObject({ status: "completed", result: { agent: worker(fix), cwd: join(sh.dir, "sprites", worker(fix)!) } });
    expect(String(fixed.result!.input)).toContain("fix the authentication bug");
    expect(added).toMatchObject({ status: "completed", result: { agent: worker(add) } });
    for (const name of ["kite-1", "kite-2"]) expect(existsSync(join(sh.dir, "sprites", name, ".dev-setup-done"))).toBe(true);
    expect(readFileSync(join(sh.dir, "sprites", "kite-1", "README.md"), "utf8")).toBe("kite\n");
  });

  it("status protocol: waiting, running, then completed, which stays until the next dispatch; the history keeps each", async () => {
    const [instance] = await sh.json<Array<{ activity: string; labels: Record<string, string> }>>("orchestrator instances get kite-1 --json");
    expect(instance).toMatchObject({ activity: "ACTIVITY_COMPLETED", labels: { agent: "claude", worktree: "kite-1" } });
    const history = await sh.json<Activity[]>("orchestrator instances activity kite-1 --json");
    expect(history.slice(0, 3).map((h) => h.to)).toEqual(["ACTIVITY_COMPLETED", "ACTIVITY_RUNNING", "ACTIVITY_WAITING"]);
    const tail = await sh.ok("orchestrator agent tail kite-1");
    expect(tail).toContain("fake-agent kite-1: task");
  });

  it('--repo kite --command "refactor the auth module": an idle (completed) worker is allocated, nothing is provisioned', async () => {
    const out = await sh.ok(`orchestrator --repo kite --command "refactor the auth module"`);
    expect(out).toMatch(/^allocated kite-[12] from pool kite$/m);
    expect(out).not.toContain("provisioned");
    expect((await finished(out)).status).toBe("completed");
    const [pool] = await sh.json<Array<{ members: Array<{ name: string }> }>>("orchestrator pools --json");
    expect(pool!.members.map((m) => m.name)).toEqual(["kite-1", "kite-2"]);
  });

  it("a failing run shows error until the next dispatch", async () => {
    const out = await sh.ok(`orchestrator --repo kite --command "fail:3"`);
    const worker = /^dispatched \S+ to (kite-\d)/m.exec(out)![1]!;
    await waitFor(`${worker} to show error`, async () => {
      const [instance] = await sh.json<Array<{ activity: string; activityDetail: string }>>(`orchestrator instances get ${worker} --json`);
      return instance!.activity === "ACTIVITY_ERROR" ? instance : undefined;
    }, { timeoutMs: 60_000, intervalMs: 200 });
    // The scheduler retries the task (on this agent or another), so later entries may follow: the error is in the history.
    const history = await sh.json<Activity[]>(`orchestrator instances activity ${worker} --json`);
    expect(history.some((h) => h.to === "ACTIVITY_ERROR" && h.detail.includes("exit 3"))).toBe(true);
  });
});
