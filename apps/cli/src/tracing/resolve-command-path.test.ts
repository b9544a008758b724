import type { Command } from "commander";
import { beforeAll, describe, expect, it } from "vitest";
import { buildProgram } from "../program.js";
import { resolveCommandPath } from "./resolve-command-path.js";
import { isSelfTraced } from "./trace-command.js";

describe("resolveCommandPath", () => {
  let program: Command;
  beforeAll(async () => {
    program = await buildProgram();
  });
  const cases: [string[], string[]][] = [
    [["instances", "register", "-n", "A", "-a", "127.0.0.1:1"], ["instances", "register"]],
    [["--addr", "instances", "--json", "instances", "ls"], ["instances", "list"]],
    [["--addr=h:1", "--timeout-ms", "5", "health", "--output", "json"], ["health"]],
    [["instances", "--api-key", "k", "get", "A"], ["instances", "get"]],
    [["serve", "health"], ["serve"]],
    [["migrate"], ["migrate"]],
    [["agent", "--name", "kite-1", "--pool", "kite", "--workdir", ".", "--", "claude", "-p"], ["agent"]],
    [["agent", "tail", "kite-1", "--follow"], ["agent", "tail"]],
    [["instances", "register", "--help"], []],
    [["--version"], []],
    [["nosuch", "instances"], []],
    [[], []],
  ];
  it.each(cases)("%j selects %j", (args, expected) => {
    expect(resolveCommandPath(program, args)).toEqual(expected);
  });
});

describe("isSelfTraced", () => {
  it("is true for servers and the agent runner, false for clients (agent tail included)", () => {
    expect([["up"], ["serve"], ["demo-instance"], ["agent"]].map(isSelfTraced)).toEqual([true, true, true, true]);
    expect([["agent", "tail"], ["agent", "status"], ["route"]].map(isSelfTraced)).toEqual([false, false, false]);
  });
});
