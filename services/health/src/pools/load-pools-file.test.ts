import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError } from "@orchestrator/config";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadPoolsFile } from "./load-pools-file.js";

let dir: string;
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const problem = (text: string) => {
  try {
    loadPoolsFile(file("bad.yaml", text));
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error("expected a ConfigError");
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "orch-pools-file-"));
  mkdirSync(join(dir, "plain"));
  mkdirSync(join(dir, "repo", ".git"), { recursive: true });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("loadPoolsFile", () => {
  it("reads a full template, resolving paths from the file's directory and durations to milliseconds", () => {
    const path = file(
      "pools.yaml",
      `pools:
  kite:
    repo: ./repo
    ref: main
    command: [claude, -p]
    input: stdin
    min: 1
    max: 4
    idleShutdown: 10m
    workdirRoot: ./work
    setup: scripts/setup.sh
    labels: {agent: claude}
    env: {ANTHROPIC_MODEL: opus, RETRIES: 3}
    runTimeout: 30m
    provisionTimeout: 90s
  remote:
    repo: git@github.com:acme/remote.git
    command: [codex]
`,
    );
    const [kite, remote] = loadPoolsFile(path, { dataDir: "/var/lib/orchestrator" });
    expect(kite).toEqual({
      name: "kite",
      provisioner: "local",
      repo: join(dir, "repo"),
      ref: "main",
      command: ["claude", "-p"],
      input: "stdin",
      min: 1,
      max: 4,
      idleShutdownMs: 600_000,
      workdirRoot: join(dir, "work"),
      setup: "scripts/setup.sh",
      labels: { agent: "claude" },
      env: { ANTHROPIC_MODEL: "opus", RETRIES: "3" },
      runTimeoutMs: 1_800_000,
      provisionTimeoutMs: 90_000,
    });
    expect(remote).toMatchObject({
      repo: "git@github.com:acme/remote.git",
      input: "arg",
      min: 0,
      max: 1,
      idleShutdownMs: 0,
      workdirRoot: "/var/lib/orchestrator/pools",
      setup: "scripts/dev-setup.sh",
      runTimeoutMs: undefined,
      provisionTimeoutMs: 600_000,
    });
  });

  it("reads JSON too", () => {
    const path = file("pools.json", JSON.stringify({ pools: { kite: { repo: "https://github.com/acme/kite.git", command: ["claude"], max: 2 } } }));
    expect(loadPoolsFile(path)[0]).toMatchObject({ name: "kite", max: 2 });
  });

  it.each([
    ["a template without a repo", "pools:\n  kite:\n    command: [claude]\n", "pools.kite.repo is required: a git URL or a path to clone each agent's working copy from"],
    ["a template without a command", "pools:\n  kite:\n    repo: https://x/y.git\n", "pools.kite.command is required"],
    ["an empty command", "pools:\n  kite:\n    repo: https://x/y.git\n    command: []\n", "pools.kite.command must not be empty"],
    ["a command given as a string", "pools:\n  kite:\n    repo: https://x/y.git\n    command: claude -p\n", "pools.kite.command must be a list"],
    ["an unknown key", "pools:\n  kite:\n    repo: https://x/y.git\n    command: [x]\n    replicas: 3\n", 'pools.kite has unknown key "replicas"; allowed: provisioner, repo'],
    ["an unknown top-level key", "pool: {}\n", '(root) has unknown key "pool"'],
    ["no pools at all", "# nothing\n", "pools is required"],
    ["max 0", "pools:\n  kite:\n    repo: https://x/y.git\n    command: [x]\n    max: 0\n", "pools.kite.max must be ≥ 1"],
    ["min above max", "pools:\n  kite:\n    repo: https://x/y.git\n    command: [x]\n    min: 3\n    max: 2\n", "pools.kite.min (3) must not exceed pools.kite.max (2)"],
    ["a bad duration", "pools:\n  kite:\n    repo: https://x/y.git\n    command: [x]\n    idleShutdown: soon\n", 'pools.kite.idleShutdown must be a duration like 30s, 10m or 1h (or 0), not "soon"'],
    ["an unknown input", "pools:\n  kite:\n    repo: https://x/y.git\n    command: [x]\n    input: file\n", "pools.kite.input must be arg or stdin"],
    ["an unknown provisioner", "pools:\n  kite:\n    repo: https://x/y.git\n    command: [x]\n    provisioner: kubernetes\n", "pools.kite.provisioner must be local"],
    ["a bad pool name", "pools:\n  'kite pool':\n    repo: https://x/y.git\n    command: [x]\n", 'pools.kite pool: "kite pool" is not a valid pool name'],
    ["a repo path that does not exist", "pools:\n  kite:\n    repo: ./missing\n    command: [x]\n", "/missing does not exist; give a git URL or an existing path"],
    ["a ref on a plain directory", "pools:\n  kite:\n    repo: ./plain\n    ref: main\n    command: [x]\n", "pools.kite.ref needs a git repository"],
    ["an absolute setup path", "pools:\n  kite:\n    repo: https://x/y.git\n    command: [x]\n    setup: /etc/setup.sh\n", "pools.kite.setup must be relative to the working copy"],
    ["a bad env name", "pools:\n  kite:\n    repo: https://x/y.git\n    command: [x]\n    env: {'A-B': x}\n", 'pools.kite.env: "A-B" is not a valid environment variable name'],
    ["invalid YAML", "pools: [unclosed\n", "is not valid YAML/JSON"],
  ])("rejects %s, saying what to fix", (_label, text, message) => {
    const m = problem(text);
    expect(m).toContain(`pools file ${join(dir, "bad.yaml")}`);
    expect(m).toContain(message);
  });

  it("reports every broken rule at once", () => {
    const m = problem("pools:\n  kite:\n    command: []\n    max: 0\n");
    expect(m).toContain("pools.kite.repo is required");
    expect(m).toContain("pools.kite.command must not be empty");
    expect(m).toContain("pools.kite.max must be ≥ 1");
  });

  it("names the file it cannot read", () => {
    expect(() => loadPoolsFile(join(dir, "nope.yaml"))).toThrow(/ORCHESTRATOR_POOLS_FILE: cannot read pools file .*nope\.yaml/);
  });
});
