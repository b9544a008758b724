import { describe, expect, it } from "vitest";
import { splitSelectorList } from "./split-selector-list.js";

describe("splitSelectorList", () => {
  it.each<[string[], string[]]>([
    [["A", "B"], ["A", "B"]],
    [["A-H"], ["A-H"]],
    [["A,B,C"], ["A", "B", "C"]],
    [["A, B", "C D", " @pool:x ,"], ["A", "B", "C", "D", "@pool:x"]],
    [[",", " "], []],
    [[], []],
  ])("splits %j", (args, expected) => {
    expect(splitSelectorList(args)).toEqual(expected);
  });
});
