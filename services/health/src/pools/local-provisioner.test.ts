import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConnectError } from "@connectrpc/connect";
import { HealthService } from "@orchestrator/contracts";
import { createServiceClient, errorReason } from "@orchestrator/rpc";
import { testLogger, waitFor } from "@orchestrator/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHealthServer, type HealthServerFixture } from "../test-support.js";
import { LocalProvisioner } from "./local-provisioner.js";
import type { PoolTemplate } from "./pool-template.js";
import { ProvisionError } from "./provisioner.js";
import { poolTemplate } from "./testing/pool-template-builder.js";

const STUB_AGENT = join(import.meta.dirname, "testing/stub-agent.mjs");
const git = (cwd: string, ...args: string[]) => execFileSync("git", ["-c", "user.name=test", "-c", "user.email=test@example.com", ...args], { cwd, stdio: "pipe" });

/** A git repository with `files` committed on main, and `branch` files on a `feature` branch. */
function makeRepo(dir: string, files: Record<string, string>, branch: Record<string, string> = {}): string {
  mkdirSync(dir, { recursive: true });
  git(dir, "init", "--quiet", "--initial-branch=main");
  const write = (entries: Record<string, string>) => {
    for (const [path, text] of Object.entries(entries)) {
      mkdirSync(join(dir, path, ".."), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    git(dir, "add", "-A");
    git(dir, "commit", "--quiet", "-m", "files");
  };
  write(files);
  if (Object.keys(branch).length > 0) {
    git(dir, "checkout", "--quiet", "-b", "feature");
    write(branch);
    git(dir, "checkout", "--quiet", "main");
  }
  return dir;
}

let tmp: string;
let fx: HealthServerFixture;
let provisioner: LocalProvisioner;
let template: PoolTemplate;

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), "orch-local-provisioner-"));
  const repo = makeRepo(join(tmp, "origin"), {
    "README.md": "kite\n",
    "scripts/dev-setup.sh": 'echo "setting up in $(pwd)"\nprintf "%s" "$STUB_MARKER" > setup-ran\n',
  });
  template = poolTemplate({
    repo,
    workdirRoot: join(tmp, "pools"),
    labels: { agent: "stub" },
    env: { STUB_MARKER: "from-template" },
    runTimeoutMs: 60_000,
    provisionTimeoutMs: 30_000,
  });
  provisioner = new LocalProvisioner({
    launcher: [process.execPath, STUB_AGENT],
    controlPlaneEnv: () => ({ ORCHESTRATOR_ADDR: fx.address, ORCHESTRATOR_HEALTH_ADDR: fx.address }),
    stopGraceMs: 2000,
    logger: testLogger(),
  });
  fx = await startHealthServer({ probing: false, pools: [template, { ...template, name: "flaky", env: { STUB_AGENT_EXIT: "3" } }], provisioner });
});
afterAll(async () => {
  await fx?.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe("LocalProvisioner", () => {
  it("clones the repo, runs its dev-setup.sh, starts the agent that registers, and hands it out", async () => {
    const client = createServiceClient(HealthService, { address: fx.address, timeoutMs: 30_000 });
    const res = await client.allocateInstance({ pool: "kite", holder: "task:t1" });
    expect(res).toMatchObject({ provisioned: true, instance: { name: "kite-1", allocatedTo: "task:t1" } });

    const dir = join(tmp, "pools", "kite-1");
    expect(readFileSync(join(dir, "README.md"), "utf8")).toBe("kite\n");
    expect(readFileSync(join(dir, "setup-ran"), "utf8")).toBe("from-template");
    expect(readFileSync(join(tmp, "pools", "kite-1.setup.log"), "utf8")).toContain(`setting up in ${dir}`);
    const log = readFileSync(join(tmp, "pools", "kite-1.log"), "utf8");
    const argv = JSON.parse(/stub agent argv: (.*)/.exec(log)![1]!);
    expect(argv).toEqual(["agent", "--name", "kite-1", "--pool", "kite", "--workdir", dir, "--label", "agent=stub", "--input", "arg", "--timeout", "60000ms", "--", "agent-cli", "-p"]);
    expect(log).toContain(`stub agent cwd: ${dir}`);
    expect(log).toContain(`ORCHESTRATOR_ADDR=${fx.address} STUB_MARKER=from-template`);
    expect(provisioner.owns("kite-1")).toBe(true);

    await provisioner.stop("kite-1");
    expect(provisioner.owns("kite-1")).toBe(false);
    await waitFor("the stub's exit in its log", () => readFileSync(join(tmp, "pools", "kite-1.log"), "utf8").includes("SIGTERM, exiting"));
  });

  it("fails the provision with the agent's output when it exits before registering, and removes the reservation", async () => {
    const client = createServiceClient(HealthService, { address: fx.address, timeoutMs: 30_000 });
    const err = await client.allocateInstance({ pool: "flaky", holder: "h" }).then(
      () => undefined,
      (e: unknown) => ConnectError.from(e),
    );
    expect(errorReason(err)).toBe("provision_failed");
    expect(err!.rawMessage).toContain("flaky-1");
    expect(err!.rawMessage).toContain("exit code 3");
    expect(err!.rawMessage).toContain("stub agent: cannot find the agent command");
    expect((await client.listInstances({ selectors: [] })).instances.map((i) => i.name)).not.toContain("flaky-1");
  });

  it("fails at setup with the script's output when dev-setup.sh exits non-zero", async () => {
    const repo = makeRepo(join(tmp, "broken"), { "scripts/dev-setup.sh": 'echo "missing dependency: libfoo" >&2\nexit 2\n' });
    const broken = { ...template, name: "broken", repo };
    const err = await provisioner.provision(broken, "broken-1", new AbortController().signal).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProvisionError);
    expect((err as ProvisionError).step).toBe("setup");
    expect((err as ProvisionError).message).toContain("exit code 2");
    expect((err as ProvisionError).logTail).toContain("missing dependency: libfoo");
    expect(provisioner.owns("broken-1")).toBe(false);
  });

  it("clones the template's ref, copies a plain directory, and reuses an existing working copy", async () => {
    const exitAtOnce = { STUB_AGENT_EXIT: "0" };
    const branched = makeRepo(join(tmp, "branched"), { "main.txt": "main\n" }, { "feature.txt": "feature\n" });
    const started = await provisioner.provision({ ...template, name: "ref", repo: branched, ref: "feature", env: exitAtOnce }, "ref-1", new AbortController().signal);
    expect(await started.exited).toBe("exit code 0");
    expect(existsSync(join(tmp, "pools", "ref-1", "feature.txt"))).toBe(true);

    const plain = join(tmp, "plain");
    mkdirSync(join(plain, "scripts"), { recursive: true });
    writeFileSync(join(plain, "notes.txt"), "plain\n");
    writeFileSync(join(plain, "scripts", "dev-setup.sh"), "echo ran >> setup-count\n");
    const copy = { ...template, name: "plain", repo: plain, env: exitAtOnce };
    await (await provisioner.provision(copy, "plain-1", new AbortController().signal)).exited;
    expect(readFileSync(join(tmp, "pools", "plain-1", "notes.txt"), "utf8")).toBe("plain\n");
    writeFileSync(join(tmp, "pools", "plain-1", "work-in-progress.txt"), "keep me\n");
    await (await provisioner.provision(copy, "plain-1", new AbortController().signal)).exited;
    expect(readFileSync(join(tmp, "pools", "plain-1", "work-in-progress.txt"), "utf8")).toBe("keep me\n");
    expect(readFileSync(join(tmp, "pools", "plain-1", "setup-count"), "utf8")).toBe("ran\nran\n");
  });
});
