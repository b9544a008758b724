import { Code } from "@connectrpc/connect";
import { errorReason, fieldViolations } from "@orchestrator/rpc";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { rejection } from "./testing/rejection.js";
import { startFakeDeps, startScheduler, type FakeDeps, type SchedulerFixture } from "./test-support.js";

let deps: FakeDeps;
let fx: SchedulerFixture;
const client = () => fx.client();

beforeAll(async () => {
  deps = await startFakeDeps();
  fx = await startScheduler({ deps });
});
afterAll(async () => {
  await fx.close();
  await deps.close();
});
beforeEach(async () => {
  await client().reset({ tasks: true });
});

/** A cycle of `n` tasks: t0 depends on t1, ..., t(n-1) on t0. */
function ring(n: number) {
  return Array.from({ length: n }, (_, i) => ({ id: `t${i}`, spec: "x", deps: [`t${(i + 1) % n}`] }));
}

/** A YAML "billion laughs": each level aliases the previous one ten times. */
const ALIAS_BOMB = [
  "a: &a [x, x, x, x, x, x, x, x, x, x]",
  ...Array.from({ length: 8 }, (_, i) => {
    const prev = String.fromCharCode(97 + i);
    const name = String.fromCharCode(98 + i);
    return `${name}: &${name} [${Array.from({ length: 10 }, () => `*${prev}`).join(", ")}]`;
  }),
  "tasks:",
  "  - id: boom",
  "    spec: *i",
].join("\n");

describe("bad input to the scheduler is INVALID_ARGUMENT naming the field, and changes nothing", () => {
  it.each(["@bogus", "A-", "kite-5..1", " A"])("CreateTask refuses target %j by the selector grammar", async (target) => {
    const err = await rejection(client().createTask({ id: "a", spec: "x", target }));
    expect(err.code).toBe(Code.InvalidArgument);
    expect(errorReason(err)).toBe("invalid_selector");
    expect(fieldViolations(err)[0]?.field).toBe("target");
    expect((await client().listTasks({})).tasks).toEqual([]);
  });

  it("CreateTasks names the task whose target is bad, and creates none of the batch", async () => {
    const err = await rejection(client().createTasks({ tasks: [{ id: "ok", spec: "x", target: "@pool:demo" }, { id: "bad", spec: "x", target: "@bogus" }] }));
    expect(err.code).toBe(Code.InvalidArgument);
    expect(fieldViolations(err)[0]?.field).toBe("tasks[1].target");
    expect((await client().listTasks({})).tasks).toEqual([]);
  });

  it("a YAML alias bomb in a run spec is invalid_spec, not an internal error", async () => {
    const err = await rejection(client().startRun({ spec: ALIAS_BOMB, format: "yaml" }));
    expect(err.code).toBe(Code.InvalidArgument);
    expect(errorReason(err)).toBe("invalid_spec");
    expect(err.rawMessage).toMatch(/^spec: not valid YAML: .*alias/i);
    expect((await client().listRuns({})).runs).toEqual([]);
  });

  it.each(["-alice", "a b", "x".repeat(64), "@all"])("StartRun refuses the coordinator handle from=%j, and starts no run", async (from) => {
    const err = await rejection(client().startRun({ spec: JSON.stringify({ tasks: [{ id: "a", spec: "x" }] }), from }));
    expect(err.code).toBe(Code.InvalidArgument);
    expect(fieldViolations(err)[0]?.field).toBe("from");
    expect((await client().listRuns({})).runs).toEqual([]);
  });

  it("a 500-task cycle reaches the client as INVALID_ARGUMENT with a bounded message: first ids and the length, once", async () => {
    const err = await rejection(client().createTasks({ tasks: ring(500) }));
    expect(err.code).toBe(Code.InvalidArgument);
    expect(errorReason(err)).toBe("dependency_cycle");
    expect(err.rawMessage).toBe("tasks[0].deps: dependency cycle t0 → t1 → t2 → t3 → t4 → … → t0 (500 tasks)");
    expect(fieldViolations(err)).toEqual([{ field: "tasks[0].deps", description: "dependency cycle t0 → t1 → t2 → t3 → t4 → … → t0 (500 tasks)" }]);
    expect((await client().listTasks({})).tasks).toEqual([]);
  });

  it("a 500-task cycle in a run spec is bounded the same way", async () => {
    const err = await rejection(client().startRun({ spec: JSON.stringify({ tasks: ring(500) }) }));
    expect(err.code).toBe(Code.InvalidArgument);
    expect(errorReason(err)).toBe("invalid_spec");
    expect(err.rawMessage).toContain("dependency cycle t0 → t1 → t2 → t3 → t4 → … → t0 (500 tasks)");
    expect(err.rawMessage.length).toBeLessThan(200);
  });
});
