import { describe, expect, it } from "vitest";
import { createLineSplitter } from "./create-line-splitter.js";

describe("createLineSplitter", () => {
  it("splits on \\n and \\r\\n, keeps characters split across chunks whole, and flushes the last line at the end", () => {
    const lines: string[] = [];
    const splitter = createLineSplitter((line) => lines.push(line));
    const bytes = Buffer.from("one\r\ntwo é\nthr", "utf8");
    const cut = bytes.indexOf(0xc3) + 1;
    splitter.write(bytes.subarray(0, cut));
    expect(lines).toEqual(["one"]);
    splitter.write(bytes.subarray(cut));
    expect(lines).toEqual(["one", "two é"]);
    splitter.write(Buffer.from("ee\n\nfour"));
    splitter.end();
    expect(lines).toEqual(["one", "two é", "three", "", "four"]);
  });

  it("cuts a runaway line into pieces", () => {
    const lines: string[] = [];
    const splitter = createLineSplitter((line) => lines.push(line), 4);
    splitter.write(Buffer.from("abcdefghij\nxy"));
    splitter.end();
    expect(lines).toEqual(["abcd", "efgh", "ij", "xy"]);
  });
});
