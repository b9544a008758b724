import { type ChildProcess, spawn } from "node:child_process";
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { waitFor } from "@orchestrator/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStack, type Stack } from "../support/start-stack.js";
import { seedShell, type SeedShell } from "./seed-shell.js";

/**
 * Seed 002, Orca's `orca orchestration` skill: every command and flag of its
 * command surface, as written with `orchestrator` for `orca` (the
 * `orchestration` prefix kept), against one control plane. The agents: one
 * real `orchestrator agent` running a command named `claude` (the scripted
 * fake agent) in worktree `wt-login`, and registered codex, gemini and
 * opencode agents in worktree `wt-api`.
 */
const FAKE_AGENT = join(import.meta.dirname, "../agents/fake-agent.mjs");
const WORKER = "term_abc123";
let stack: Stack;
let sh: SeedShell;
let agent: ChildProcess;
const coordinator = { ORCHESTRATOR_HANDLE: "coordinator" };

type Msg = { id: string; from: string; to: string; subject: string; body: string; type: string; priority: string; threadId: string; payload: string };
type Task = { id: string; status: string; deps?: string[]; parentId?: string; result?: unknown };

beforeAll(async () => {
  // Heartbeats every second; a loaded machine may miss a few without the agents counting as down.
  stack = await startStack({ services: ["health", "router", "mailbox", "scheduler"], env: { ORCHESTRATOR_HEARTBEAT_TIMEOUT_MS: "10000" } });
  sh = seedShell(stack.address);
  // A `claude` on PATH: the fake agent under the name the runner labels agents by.
  const bin = join(sh.dir, "agents-bin");
  mkdirSync(bin);
  writeFileSync(join(bin, "claude"), `#!/bin/sh\nexec "${process.execPath}" "${FAKE_AGENT}" "$@"\n`);
  chmodSync(join(bin, "claude"), 0o755);
  const worktree = join(sh.dir, "wt-login");
  mkdirSync(worktree);
  agent = spawn(join(sh.dir, "bin", "orchestrator"), ["agent", "--name", WORKER, "--pool", "agents", "--workdir", worktree, "--", "claude"], {
    env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, ORCHESTRATOR_ADDR: stack.address, LOG_LEVEL: "silent", ORCHESTRATOR_API_KEY: "", ORCHESTRATOR_HANDLE: "" },
    stdio: "ignore",
  });
  for (const kind of ["codex", "gemini", "opencode"]) {
    await sh.ok(`orchestrator instances register --name ${kind}-1 --address 127.0.0.1:9 --kind agent --probe-mode heartbeat --pool agents --label agent=${kind} --label worktree=wt-api`);
  }
  await waitFor(`${WORKER} registered and healthy`, async () => (await sh.run(`orchestrator health --instances ${WORKER} --output json`)).stdout.includes('"healthy"'), {
    timeoutMs: 180_000,
    intervalMs: 200,
  });
}, 240_000);
afterAll(async () => {
  if (agent && agent.exitCode === null) {
    const exited = new Promise((resolve) => agent.once("exit", resolve));
    agent.kill("SIGTERM");
    await exited;
  }
  sh?.close();
  await stack?.close();
});

describe("seed: Orca's orca orchestration", { timeout: 120_000 }, () => {
  it("preconditions: status --json says the runtime is up, with what", async () => {
    const status = await sh.json<{ runtime: boolean; services: Record<string, string>; instances: { total: number } }>("orchestrator status --json");
    expect(status).toMatchObject({ runtime: true, services: { health: "serving", router: "serving", mailbox: "serving", scheduler: "serving" } });
    expect(status.instances.total).toBe(4);
  });

  it("send with every flag, to a handle; reply; inbox", async () => {
    const sent = await sh.json<{ threadId: string; messages: Msg[] }>(
      `orchestrator orchestration send --to ${WORKER} --subject "heads up" --from coordinator --body "use /v2" --type status --priority high --thread-id th-seed --payload '{"api": "v2"}' --json`,
    );
    expect(sent.threadId).toBe("th-seed");
    expect(sent.messages).toHaveLength(1);
    expect(sent.messages[0]).toMatchObject({ from: "coordinator", to: WORKER, subject: "heads up", body: "use /v2", type: "status", priority: "high", threadId: "th-seed", payload: '{"api": "v2"}' });
    const reply = await sh.json<Msg>(`orchestrator orchestration reply --id ${sent.messages[0]!.id} --body "ok" --from ${WORKER} --json`);
    expect(reply).toMatchObject({ from: WORKER, to: "coordinator", threadId: "th-seed", body: "ok" });
    const inbox = await sh.json<{ messages: Msg[]; unreadCount: number }>("orchestrator orchestration inbox --limit 5 --json", coordinator);
    expect(inbox.messages.map((m) => m.body)).toContain("ok");
  });

  it("group addresses: @all, @idle, @claude, @codex, @opencode, @gemini, @worktree:<id>, one message per recipient in one thread", async () => {
    const to = async (group: string) => {
      const res = await sh.json<{ threadId: string; messages: Msg[] }>(`orchestrator orchestration send --to ${group} --subject "to ${group}" --from coordinator --json`);
      expect(new Set(res.messages.map((m) => m.threadId))).toEqual(new Set([res.threadId]));
      return res.messages.map((m) => m.to).sort();
    };
    expect(await to("@claude")).toEqual([WORKER]);
    expect(await to("@codex")).toEqual(["codex-1"]);
    expect(await to("@gemini")).toEqual(["gemini-1"]);
    expect(await to("@opencode")).toEqual(["opencode-1"]);
    expect(await to("@worktree:wt-api")).toEqual(["codex-1", "gemini-1", "opencode-1"]);
    expect(await to("@worktree:wt-login")).toEqual([WORKER]);
    expect(await to("@all")).toEqual(["codex-1", "gemini-1", "opencode-1", WORKER].sort());
    expect(await to("@idle")).toContain(WORKER);
    const none = await sh.run(`orchestrator orchestration send --to @worktree:nowhere --subject x --from coordinator`);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('selector "@worktree:nowhere" matched no instance');
  });

  it("check: --terminal --unread --types --inject banners; --wait returns at once when a message is there; --timeout-ms ends an empty wait", async () => {
    await sh.ok(`orchestrator orchestration send --to ${WORKER} --subject "stop the deploy" --from coordinator --priority urgent --type escalation`);
    const banners = await sh.ok(`orchestrator orchestration check --terminal ${WORKER} --unread --types escalation --inject`);
    expect(banners).toContain(`=== [URGENT] MESSAGE from coordinator to ${WORKER} (escalation) ===`);
    expect(banners).toContain("stop the deploy");
    await sh.ok(`orchestrator orchestration send --to coordinator --from ${WORKER} --subject "t0 done" --type worker_done`);
    const waited = await sh.json<{ messages: Msg[]; timedOut: boolean }>("orchestrator orchestration check --wait --types worker_done --timeout-ms 120000 --json", coordinator);
    expect(waited).toMatchObject({ timedOut: false, messages: [{ subject: "t0 done", type: "worker_done" }] });
    const empty = await sh.json<{ messages: Msg[]; timedOut: boolean }>("orchestrator orchestration check --wait --types merge_ready --timeout-ms 300 --json", coordinator);
    expect(empty).toEqual({ messages: [], timedOut: true });
  });

  it("task-create (--deps, --parent), task-list (--status, --ready), task-update: completing promotes the dependents (the DAG step)", async () => {
    const a = (await sh.json<{ task: Task }>(`orchestrator orchestration task-create --spec "build the API" --json`)).task;
    expect(a.status).toBe("ready");
    const b = (await sh.json<{ task: Task }>(`orchestrator orchestration task-create --spec "test the API" --deps '["${a.id}"]' --parent ${a.id} --json`)).task;
    expect(b).toMatchObject({ status: "pending", deps: [a.id], parentId: a.id });
    const pending = await sh.json<{ tasks: Task[] }>("orchestrator orchestration task-list --status pending --json");
    expect(pending.tasks.map((t) => t.id)).toContain(b.id);
    const ready = await sh.json<{ tasks: Task[] }>("orchestrator orchestration task-list --ready --json");
    expect(ready.tasks.map((t) => t.id)).toContain(a.id);
    expect(ready.tasks.map((t) => t.id)).not.toContain(b.id);
    const done = await sh.json<{ task: Task; affected: string[] }>(`orchestrator orchestration task-update --id ${a.id} --status completed --result '{"pr": 42}' --json`);
    expect(done).toMatchObject({ task: { status: "completed", result: { pr: 42 } }, affected: [b.id] });
    expect((await sh.json<{ task: Task }>(`orchestrator task get ${b.id} --json`)).task.status).toBe("ready");
  });

  it("task-update --status takes every legal move (ready, blocked, completed, failed) and the scheduler refuses the others", async () => {
    const t = (await sh.json<{ task: Task }>(`orchestrator orchestration task-create --spec "hold me" --json`)).task;
    const status = async (s: string) => (await sh.json<{ task: Task }>(`orchestrator orchestration task-update --id ${t.id} --status ${s} --json`)).task.status;
    expect(await status("blocked")).toBe("blocked");
    expect(await status("ready")).toBe("ready");
    expect(await status("failed")).toBe("failed");
    const illegal = await sh.run(`orchestrator orchestration task-update --id ${t.id} --status ready`);
    expect(illegal.code).toBe(1);
    expect(illegal.stderr).toContain(`error: FAILED_PRECONDITION: task "${t.id}" is failed: cannot become ready`);
    expect(illegal.stderr).toContain("reason: invalid_transition");
    const bad = await sh.run(`orchestrator orchestration task-update --id ${t.id} --status dispatched --json`);
    expect(JSON.parse(bad.stderr)).toMatchObject({ error: { code: "INVALID_ARGUMENT", fields: [{ field: "status" }] } });
    const human = await sh.run(`orchestrator orchestration task-update --id ${t.id} --status dispatched`);
    expect(human.stderr.trim().split("\n")[0]).toMatch(/^error: INVALID_ARGUMENT: status: .+/);
    expect(human.stderr).not.toMatch(/\[string\.in\]/);
  });

  it("the coordinator worked example: task-create, dispatch --inject to a Claude terminal, check --wait for worker_done, then dispatch-show", async () => {
    const { task } = await sh.json<{ task: Task }>(`orchestrator orchestration task-create --spec "Fix the login button CSS" --json`);
    const dispatched = await sh.json<{ dispatch: { instance: string; kind: string; preamble: string } }>(`orchestrator orchestration dispatch --task ${task.id} --to ${WORKER} --inject --json`, coordinator);
    expect(dispatched.dispatch).toMatchObject({ instance: WORKER, kind: "agent" });
    expect(dispatched.dispatch.preamble).toContain("worker_done");
    const waited = await sh.json<{ messages: Msg[] }>("orchestrator orchestration check --wait --types worker_done,escalation --timeout-ms 300000 --json", coordinator);
    expect(waited.messages[0]).toMatchObject({ from: WORKER, type: "worker_done" });
    expect(JSON.parse(waited.messages[0]!.payload)).toMatchObject({ task: task.id });
    await sh.ok(`orchestrator orchestration task-update --id ${task.id} --status completed --result '{"css": "fixed"}' --json`);
    const shown = await sh.json<{ current: { instance: string; status: string } }>(`orchestrator orchestration dispatch-show --task ${task.id} --json`);
    expect(shown.current).toMatchObject({ instance: WORKER, status: "completed" });
    // The worker's status protocol: waiting, running, completed, which stays until its next dispatch.
    const history = await sh.json<Array<{ to: string; detail: string }>>(`orchestrator instances activity ${WORKER} --json`);
    const ofTask = history.filter((h) => h.detail.startsWith(`task ${task.id}`)).map((h) => h.to).reverse();
    expect(ofTask).toEqual(["ACTIVITY_WAITING", "ACTIVITY_RUNNING", "ACTIVITY_COMPLETED"]);
    const [now] = await sh.json<Array<{ activity: string }>>(`orchestrator instances get ${WORKER} --json`);
    expect(now!.activity).toBe("ACTIVITY_COMPLETED");
  });

  it("gate-create (--options), gate-list (--task, --status), gate-resolve: the gate blocks its task until resolved", async () => {
    const { task } = await sh.json<{ task: Task }>(`orchestrator orchestration task-create --spec "deploy" --json`);
    const created = await sh.json<{ gate: { id: string; status: string }; task: Task }>(`orchestrator orchestration gate-create --task ${task.id} --question "ship?" --options '["yes", "no"]' --json`);
    expect(created).toMatchObject({ gate: { status: "pending" }, task: { status: "blocked" } });
    const listed = await sh.json<{ gates: Array<{ id: string }> }>(`orchestrator orchestration gate-list --task ${task.id} --status pending --json`);
    expect(listed.gates.map((g) => g.id)).toEqual([created.gate.id]);
    const resolved = await sh.json<{ gate: { status: string; resolution: string }; task: Task }>(`orchestrator orchestration gate-resolve --id ${created.gate.id} --resolution yes --json`);
    expect(resolved).toMatchObject({ gate: { status: "resolved", resolution: "yes" }, task: { status: "ready" } });
  });

  it("run --from <handle>: the run's coordinator sends its dispatches, the scheduler still collects worker_done, escalations and gates reach the coordinator's inbox", async () => {
    writeFileSync(join(sh.dir, "coordinated.json"), JSON.stringify({ tasks: [{ id: "warm", spec: "warm up" }, { id: "ask", spec: "escalate:which-region", deps: ["warm"] }] }));
    const started = await sh.json<{ run: { id: string; coordinator: string } }>("orchestrator orchestration run --spec coordinated.json --from coord-1 --worktree wt-login --json");
    const run = started.run.id;
    expect(started.run.coordinator).toBe("coord-1");
    expect((await sh.json<{ run: { coordinator: string } }>(`orchestrator run-show --run ${run} --json`)).run.coordinator).toBe("coord-1");
    expect(await sh.ok(`orchestrator run-show --run ${run}`)).toContain("coordinator: coord-1");
    // The agent asks a question on `ask` (after `warm` completed through its worker_done): the escalation lands in coord-1's inbox.
    const escalated = await sh.json<{ messages: Msg[]; timedOut: boolean }>("orchestrator orchestration check --terminal coord-1 --wait --types escalation --timeout-ms 120000 --json");
    expect(escalated.timedOut).toBe(false);
    expect(escalated.messages[0]).toMatchObject({ from: WORKER, to: "coord-1", type: "escalation", priority: "high", subject: "which-region" });
    const about = JSON.parse(escalated.messages[0]!.payload) as { run: string; task: string; gate: string; options: string[] };
    expect(about).toMatchObject({ run, task: `${run}:ask`, options: ["yes", "no"] });
    expect((await sh.json<{ task: Task }>(`orchestrator task get ${run}:warm --json`)).task.status).toBe("completed");
    // The gate the escalation opened asks coord-1 too.
    const notice = await sh.json<{ messages: Msg[] }>("orchestrator orchestration check --terminal coord-1 --wait --types decision_gate --timeout-ms 60000 --json");
    expect(notice.messages[0]).toMatchObject({ to: "coord-1", type: "decision_gate", threadId: about.gate });
    const gates = await sh.json<{ gates: Array<{ id: string; notify: string; status: string }> }>(`orchestrator orchestration gate-list --task ${run}:ask --json`);
    expect(gates.gates).toEqual([expect.objectContaining({ id: about.gate, notify: "coord-1", status: "pending" })]);
    // Every dispatch message of the run came from coord-1.
    const inbox = await sh.json<{ messages: Msg[] }>(`orchestrator inbox --handle ${WORKER} --limit 50 --json`);
    const dispatches = inbox.messages.filter((m) => m.type === "dispatch" && m.subject.startsWith(`task ${run}:`));
    expect(dispatches.map((m) => m.from)).toEqual(["coord-1", "coord-1"]);
    // Resolved, the task goes back to the agent with the decision, which answers worker_done: the run ends done.
    await sh.ok(`orchestrator orchestration gate-resolve --id ${about.gate} --resolution yes --json`);
    const followed = await sh.run(`orchestrator run-show --run ${run} --follow --json`);
    expect(followed.code).toBe(0);
    expect((await sh.json<{ run: { status: string } }>(`orchestrator run-show --run ${run} --json`)).run.status).toBe("done");
  });

  it("run (--poll-interval-ms, --max-concurrent, --worktree) returns a run id at once; run-stop stops the only run", async () => {
    writeFileSync(join(sh.dir, "plan.json"), JSON.stringify({ tasks: [{ id: "plan-a", spec: "hold wait-file:/nonexistent/never" }, { id: "plan-b", spec: "b", deps: ["plan-a"] }] }));
    const started = await sh.json<{ run: { id: string; status: string; maxConcurrency: number; target: string } }>(
      "orchestrator orchestration run --spec plan.json --poll-interval-ms 500 --max-concurrent 2 --worktree wt-login --json",
    );
    expect(started.run).toMatchObject({ maxConcurrency: 2, target: "@worktree:wt-login" });
    const stopped = await sh.json<{ run: { id: string; status: string } }>("orchestrator orchestration run-stop --json");
    expect(stopped.run).toMatchObject({ id: started.run.id, status: "stopped" });
  });

  it("reset: --tasks keeps messages, --messages, --all, and no flag at all means --all", async () => {
    const tasks = await sh.json<{ tasks: { deleted: number }; messages?: unknown }>("orchestrator orchestration reset --tasks --json");
    expect(tasks.tasks.deleted).toBeGreaterThan(0);
    expect(tasks.messages).toBeUndefined();
    const messages = await sh.json<{ messages: { deleted: number } }>("orchestrator orchestration reset --messages --json");
    expect(messages.messages.deleted).toBeGreaterThan(0);
    await sh.ok(`orchestrator orchestration task-create --spec again --json`);
    await sh.ok(`orchestrator orchestration send --to ${WORKER} --subject again --from coordinator`);
    const bare = await sh.json<{ tasks: { deleted: number }; messages: { deleted: number } }>("orchestrator orchestration reset --json");
    expect(bare).toEqual({ tasks: { deleted: 1 }, messages: { deleted: 1 } });
    const all = await sh.json<{ tasks: { deleted: number }; messages: { deleted: number } }>("orchestrator orchestration reset --all --json");
    expect(all).toEqual({ tasks: { deleted: 0 }, messages: { deleted: 0 } });
  });
});

type TerminalJson = { name: string; title?: string; command: string; agent?: string; worktree: string; workdir: string; status: string; pid: number; hostPid: number; exitCode?: number; splitFrom?: string; direction?: string };
type ErrorJson = { error: { code: string; reason: string; fields: Array<{ field: string }> } };

describe("seed: Orca's terminal commands for coordinators", { timeout: 120_000 }, () => {
  const hosts: number[] = [];
  const worktree = () => basename(sh.dir);
  const withClaude = () => ({ PATH: `${join(sh.dir, "bin")}:${join(sh.dir, "agents-bin")}:${process.env.PATH}` });
  const create = async (line: string, env?: Record<string, string>) => {
    const created = await sh.json<{ handle: string; terminal: TerminalJson }>(line, env);
    hosts.push(created.terminal.hostPid);
    return created;
  };
  const handles = async (line = "orchestrator terminal list --json") => (await sh.json<{ terminals: TerminalJson[] }>(line)).terminals.map((t) => t.name);
  const healthy = async () => Object.keys(await sh.json<Record<string, string>>("orchestrator health --output json"));
  let shell: string;
  beforeAll(() => {
    // A stand-in for Claude Code's TUI: a prompt, bracketed paste on, and it runs the worker_done command of a pasted preamble.
    mkdirSync(join(sh.dir, "tui-bin"));
    writeFileSync(
      join(sh.dir, "tui-bin", "claude"),
      `#!/bin/sh
printf '\\033[?2004h> '
while IFS= read -r line; do
  case "$line" in
    *"orchestrator send"*"--type worker_done"*) eval "orchestrator send\${line#*orchestrator send}" && echo "worker_done sent" ;;
  esac
  printf '> '
done
`,
    );
    chmodSync(join(sh.dir, "tui-bin", "claude"), 0o755);
  });
  afterAll(() => {
    // Hosts a failed test left running: SIGTERM closes them (command stopped, deregistered).
    for (const pid of hosts) {
      try {
        process.kill(pid, "SIGTERM");
      } catch {
        // closed already
      }
    }
  });

  it("create --worktree active --title --command --json: a terminal in the current worktree, an instance of it; wait --for tui-idle; list and show include it", async () => {
    const created = await create(`orchestrator terminal create --worktree active --title "worker-1" --command "bash" --json`);
    shell = created.handle;
    expect(created.handle).toMatch(/^term_[a-z0-9]{6}$/);
    expect(created.terminal).toMatchObject({ name: shell, title: "worker-1", command: "bash", worktree: worktree(), workdir: sh.dir, status: "running" });
    const idle = await sh.json<{ outcome: string }>(`orchestrator terminal wait --terminal ${shell} --for tui-idle --timeout-ms 60000 --json`);
    expect(idle.outcome).toBe("tui-idle");
    expect(await handles()).toContain(shell);
    expect(await handles("orchestrator terminal list --worktree active --json")).toEqual([shell]);
    expect(await handles("orchestrator terminal list --worktree wt-api --json")).toEqual([]);
    const shown = await sh.json<{ terminal: TerminalJson }>(`orchestrator terminal show --terminal ${shell} --json`);
    expect(shown.terminal).toMatchObject({ name: shell, command: "bash", worktree: worktree(), status: "running" });
    expect(shown.terminal.pid).toBeGreaterThan(0);
    expect(await sh.ok(`orchestrator terminal show --terminal ${shell}`)).toMatch(new RegExp(`worktree +${worktree()} \\(${sh.dir}\\)`));
    // An instance like any other: healthy, and in its worktree's group.
    expect(await sh.json<Record<string, string>>(`orchestrator health --instances @worktree:${worktree()} --output json`)).toEqual({ [shell]: "healthy" });
  });

  it("send --text --enter types a command; read (with --terminal omitted: the worktree's one terminal) shows its output", async () => {
    const sent = await sh.json<{ bytes: number }>(`orchestrator terminal send --terminal ${shell} --text 'echo got-$((6*7))' --enter --json`);
    expect(sent.bytes).toBe("echo got-$((6*7))\r".length);
    await sh.ok(`orchestrator terminal wait --terminal ${shell} --for tui-idle --timeout-ms 60000 --json`);
    const read = await sh.json<{ lines: string[] }>("orchestrator terminal read --json");
    expect(read.lines).toContain("got-42");
    expect(await sh.ok(`orchestrator terminal read --terminal ${shell}`)).toContain("got-42");
  });

  it("a terminal running claude is in @claude; with two terminals here, an omitted --terminal lists them", async () => {
    const claude = await create(`orchestrator terminal create --worktree active --title "worker-2" --command "claude" --json`, withClaude());
    expect(claude.terminal).toMatchObject({ agent: "claude", title: "worker-2" });
    expect(Object.keys(await sh.json<Record<string, string>>("orchestrator health --instances @claude --output json")).sort()).toEqual([claude.handle, WORKER].sort());
    const ambiguous = await sh.run("orchestrator terminal read");
    expect(ambiguous.code).toBe(1);
    expect(ambiguous.stderr).toContain(`2 terminals in worktree "${worktree()}"`);
    expect(ambiguous.stderr).toContain(claude.handle);
    expect(ambiguous.stderr).toContain(shell);
    await sh.ok(`orchestrator terminal close --terminal ${claude.handle} --json`);
    expect(await healthy()).not.toContain(claude.handle);
  });

  it("the worked example with a terminal: create --command claude, wait --for tui-idle, dispatch --inject types the preamble in, check --wait gets the agent's worker_done", async () => {
    const claude = await create(`orchestrator terminal create --worktree active --title "worker-1" --command "claude" --json`, { PATH: `${join(sh.dir, "bin")}:${join(sh.dir, "tui-bin")}:${process.env.PATH}` });
    await sh.ok(`orchestrator terminal wait --terminal ${claude.handle} --for tui-idle --timeout-ms 60000 --json`);
    const { task } = await sh.json<{ task: Task }>(`orchestrator orchestration task-create --spec "Fix the login button CSS" --json`);
    await sh.ok(`orchestrator orchestration dispatch --task ${task.id} --to ${claude.handle} --inject --json`, coordinator);
    const waited = await sh.json<{ messages: Msg[] }>("orchestrator orchestration check --wait --types worker_done,escalation --timeout-ms 300000 --json", coordinator);
    expect(waited.messages[0]).toMatchObject({ from: claude.handle, to: "coordinator", type: "worker_done" });
    expect(JSON.parse(waited.messages[0]!.payload)).toMatchObject({ task: task.id });
    const screen = (await sh.json<{ lines: string[] }>(`orchestrator terminal read --terminal ${claude.handle} --json`)).lines.join("\n");
    expect(screen).toContain(`You are ${claude.handle}. The orchestrator scheduler dispatched task ${task.id} to you`);
    expect(screen).toContain("Fix the login button CSS");
    await sh.ok(`orchestrator terminal close --terminal ${claude.handle}`);
  });

  it("a dispatch to a terminal running no agent CLI is refused at once: a failed attempt saying why, nothing typed into the shell", async () => {
    const { task } = await sh.json<{ task: Task }>(`orchestrator orchestration task-create --spec "touch should-not-exist" --json`);
    // No --from (nor ORCHESTRATOR_HANDLE): the answer goes to the scheduler, which records it.
    await sh.ok(`orchestrator orchestration dispatch --task ${task.id} --to ${shell} --inject --json`);
    const failed = await waitFor("the refusal", async () => {
      const shown = await sh.json<{ history: Array<{ instance: string; status: string; error: string }> }>(`orchestrator orchestration dispatch-show --task ${task.id} --json`);
      return shown.history.find((h) => h.status === "failed");
    });
    expect(failed).toMatchObject({ instance: shell, error: expect.stringContaining(`terminal ${shell} runs no agent CLI`) });
    expect((await sh.json<{ lines: string[] }>(`orchestrator terminal read --terminal ${shell} --json`)).lines.join("\n")).not.toContain("should-not-exist");
  });

  it("split --terminal --direction --command: a terminal in the same worktree; wait --for exit after its command ends", async () => {
    const split = await create(`orchestrator terminal split --terminal ${shell} --direction vertical --command "sh -c 'read x; echo got:\\$x'" --json`);
    expect(split.terminal).toMatchObject({ worktree: worktree(), workdir: sh.dir, splitFrom: shell, direction: "vertical" });
    await sh.ok(`orchestrator terminal send --terminal ${split.handle} --text hello --enter`);
    const exited = await sh.json<{ outcome: string; terminal: TerminalJson }>(`orchestrator terminal wait --terminal ${split.handle} --for exit --timeout-ms 60000 --json`);
    expect(exited).toMatchObject({ outcome: "exit", terminal: { status: "exited" } });
    expect(exited.terminal.exitCode ?? 0).toBe(0);
    expect((await sh.json<{ lines: string[] }>(`orchestrator terminal read --terminal ${split.handle} --json`)).lines).toContain("got:hello");
    const late = await sh.run(`orchestrator terminal send --terminal ${split.handle} --text more --enter`);
    expect(late.stderr).toContain("FAILED_PRECONDITION");
    expect(late.stderr).toContain("reason: terminal_exited");
    await sh.ok(`orchestrator terminal close --terminal ${split.handle}`);
  });

  it("bad input: an unknown handle is NOT_FOUND naming --terminal; --for bogus is INVALID_ARGUMENT naming for", async () => {
    const unknown = await sh.run("orchestrator terminal read --terminal term_nope00 --json");
    expect(unknown.code).toBe(1);
    expect(JSON.parse(unknown.stderr)).toMatchObject({ error: { code: "NOT_FOUND", reason: "unknown_terminal", fields: [{ field: "terminal" }] } } satisfies Partial<ErrorJson>);
    const human = await sh.run("orchestrator terminal show --terminal term_nope00");
    expect(human.stderr.split("\n")[0]).toBe('error: NOT_FOUND: terminal: no terminal "term_nope00" (see orchestrator terminal list)');
    const notTerminal = await sh.run(`orchestrator terminal read --terminal ${WORKER}`);
    expect(notTerminal.stderr).toContain(`"${WORKER}" is an instance, but no terminal`);
    const bogus = await sh.run(`orchestrator terminal wait --terminal ${shell} --for bogus --json`);
    expect(bogus.code).toBe(1);
    expect(JSON.parse(bogus.stderr)).toMatchObject({ error: { code: "INVALID_ARGUMENT", fields: [{ field: "for" }] } });
    expect((await sh.run(`orchestrator terminal wait --terminal ${shell} --for bogus`)).stderr).toMatch(/^error: INVALID_ARGUMENT: for: must be in list \[exit, tui-idle\]/);
  });

  it("wait --for exit after sending exit; stop ends a running command; close ends the terminal, gone from list and health", async () => {
    await sh.ok(`orchestrator terminal send --terminal ${shell} --text exit --enter`);
    const exited = await sh.json<{ outcome: string; terminal: TerminalJson }>(`orchestrator terminal wait --terminal ${shell} --for exit --timeout-ms 60000 --json`);
    expect(exited.outcome).toBe("exit");
    expect(exited.terminal.status).toBe("exited");
    const busy = await create(`orchestrator terminal create --title busy --command bash --json`);
    await sh.ok(`orchestrator terminal wait --terminal ${busy.handle} --for tui-idle --timeout-ms 60000`);
    await sh.ok(`orchestrator terminal send --terminal ${busy.handle} --text "sleep 600" --enter`);
    const stopped = await sh.json<{ terminal: TerminalJson }>(`orchestrator terminal stop --terminal ${busy.handle} --json`);
    expect(stopped.terminal.status).toBe("exited");
    expect(stopped.terminal.exitCode).toBeGreaterThan(128);
    expect(await handles()).toEqual(expect.arrayContaining([shell, busy.handle]));
    for (const handle of [shell, busy.handle]) {
      const closed = await sh.json<{ closed: boolean; terminal: TerminalJson }>(`orchestrator terminal close --terminal ${handle} --json`);
      expect(closed).toMatchObject({ closed: true, terminal: { name: handle, status: "exited" } });
    }
    expect(await handles()).toEqual([]);
    const left = await healthy();
    expect(left).not.toContain(shell);
    expect(left).not.toContain(busy.handle);
    const gone = await sh.run(`orchestrator terminal show --terminal ${shell} --json`);
    expect(JSON.parse(gone.stderr)).toMatchObject({ error: { code: "NOT_FOUND", reason: "unknown_terminal" } });
  });
});
