import type { JsonValue } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { type DemoDirective, readDemoDirective } from "./read-demo-directive.js";

describe("readDemoDirective", () => {
  it.each<[JsonValue, DemoDirective | undefined]>([
    [null, undefined],
    ["demo", undefined],
    [[{ demo: { hang: true } }], undefined],
    [{ data: 1 }, undefined],
    [{ demo: "x" }, undefined],
    [{ demo: {} }, {}],
    [{ demo: { delayMs: 200 } }, { delayMs: 200 }],
    [{ demo: { fail: 2, key: "k1", code: "resource_exhausted" } }, { fail: 2, key: "k1", code: Code.ResourceExhausted }],
    [{ demo: { fail: 1, code: "UNAVAILABLE" } }, { fail: 1, code: Code.Unavailable }],
    [{ demo: { code: "cancelled" } }, { code: Code.Canceled }],
    [{ demo: { hang: true, crash: false, stats: true, other: 1 } }, { hang: true, crash: false, stats: true }],
  ])("reads %j", (payload, expected) => {
    expect(readDemoDirective(payload)).toEqual(expected);
  });

  it.each<[JsonValue, string]>([
    [{ demo: { delayMs: -1 } }, "payload.demo.delayMs"],
    [{ demo: { delayMs: "5" } }, "payload.demo.delayMs"],
    [{ demo: { fail: 1.5 } }, "payload.demo.fail"],
    [{ demo: { key: 3 } }, "payload.demo.key"],
    [{ demo: { code: "nope" } }, "payload.demo.code"],
    [{ demo: { code: "ok" } }, "payload.demo.code"],
    [{ demo: { hang: "yes" } }, "payload.demo.hang"],
  ])("rejects %j naming %s", (payload, field) => {
    let error: unknown;
    try {
      readDemoDirective(payload);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConnectError);
    expect((error as ConnectError).code).toBe(Code.InvalidArgument);
    expect((error as ConnectError).rawMessage).toContain(field);
  });
});
