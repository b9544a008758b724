import { describe, expect, it } from "vitest";
import { commandWordIndex, rewriteSeedArgs } from "./rewrite-seed-args.js";

describe("rewriteSeedArgs", () => {
  const cases: [string[], string[]][] = [
    [["orchestration", "send", "--to", "@all"], ["send", "--to", "@all"]],
    [["orchestration", "task-create", "--spec", "x"], ["task", "create", "--spec", "x"]],
    [["--json", "task-list", "--ready"], ["--json", "task", "list", "--ready"]],
    [["--addr", "h:1", "orchestration", "gate-resolve", "--id", "g"], ["--addr", "h:1", "gate", "resolve", "--id", "g"]],
    [["orchestration", "dispatch-show", "--task", "t"], ["dispatch-show", "--task", "t"]],
    [["--repo", "kite", "--command", "fix it"], ["dispatch", "--repo", "kite", "--command", "fix it"]],
    [["--json", "--repo=kite", "--command", "fix it"], ["--json", "dispatch", "--repo=kite", "--command", "fix it"]],
    [["dispatch", "--repo", "kite", "--command", "x"], ["dispatch", "--repo", "kite", "--command", "x"]],
    [["route", "--instances", "task-create"], ["route", "--instances", "task-create"]],
    [["--version"], ["--version"]],
  ];
  it.each(cases)("%j → %j", (args, expected) => {
    expect(rewriteSeedArgs(args)).toEqual(expected);
  });

  it("finds the command word past program options and their values", () => {
    expect(commandWordIndex(["--addr", "h:1", "--timeout-ms", "5", "--json", "health"])).toBe(5);
    expect(commandWordIndex(["--json"])).toBe(-1);
  });
});
