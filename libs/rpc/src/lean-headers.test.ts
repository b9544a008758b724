import { describe, expect, it } from "vitest";
import { LeanHeaders } from "./lean-headers.js";

type Op = [op: "append" | "set" | "delete" | "get" | "has", name: string, value?: string];

/** What a Headers shows after `ops`: every read's answer or error, then its full listing. */
function observe(h: Headers, ops: readonly Op[]): unknown[] {
  const seen: unknown[] = [];
  for (const [op, name, value] of ops) {
    try {
      seen.push(op === "append" || op === "set" ? h[op](name, value!) : h[op](name));
    } catch (e) {
      seen.push(e instanceof TypeError ? "TypeError" : e);
    }
  }
  const each: [string, string][] = [];
  h.forEach((v, k, parent) => {
    expect(parent).toBe(h);
    each.push([k, v]);
  });
  seen.push([...h], [...h.entries()], [...h.keys()], [...h.values()], each, h.getSetCookie());
  return seen;
}

const scripts: Record<string, Op[]> = {
  "names are case-insensitive and lower-cased": [["set", "X-Trace-Id", "abc"], ["get", "x-trace-id"], ["has", "X-TRACE-ID"], ["append", "Content-Type", "a"]],
  "append joins with a comma, cookie with a semicolon": [["append", "x-a", "1"], ["append", "X-A", "2"], ["append", "cookie", "a=1"], ["append", "cookie", "b=2"], ["get", "x-a"], ["get", "cookie"]],
  "set-cookie values stay apart": [["append", "set-cookie", "a=1"], ["append", "Set-Cookie", "b=2"], ["get", "set-cookie"], ["set", "set-cookie", "c=3"], ["append", "set-cookie", "d=4"], ["delete", "set-cookie"], ["append", "set-cookie", "e=5"]],
  "listing is sorted by name": [["set", "zeta", "1"], ["set", "alpha", "2"], ["set", "grpc-status", "0"], ["set", "a-b", "3"], ["set", "a", "4"], ["append", "set-cookie", "x=1"], ["append", "set-cookie", "y=2"]],
  "values are trimmed of HTTP whitespace": [["set", "x-a", "  v \t"], ["append", "x-a", "\n w\r"], ["set", "x-b", " "], ["get", "x-a"], ["get", "x-b"]],
  "invalid names and values throw TypeError": [
    ["set", "bad name", "v"],
    ["append", "", "v"],
    ["get", "x:y"],
    ["has", "ä"],
    ["delete", "a b"],
    ["set", "x-a", "line\nbreak"],
    ["set", "x-a", "nul\0"],
    ["append", "x-a", "wide \u0100"],
    ["set", "x-a", "latin1 \u00e9 and \u0001 are fine"],
    ["get", "x-a"],
  ],
  "an untouched one is empty": [["get", "x-a"], ["has", "x-a"]],
  "delete and has": [["set", "x-a", "1"], ["delete", "X-A"], ["has", "x-a"], ["get", "x-a"], ["delete", "missing"]],
};

describe("LeanHeaders", () => {
  for (const [name, ops] of Object.entries(scripts)) {
    it(`behaves as undici's Headers: ${name}`, () => {
      expect(observe(new LeanHeaders(), ops)).toEqual(observe(new Headers(), ops));
    });
  }

  it("reads an HTTP/2 request's headers as Headers built from them would, pseudo-headers left out, before and after a change", () => {
    const incoming = {
      ":method": "POST",
      ":path": "/grpc.health.v1.Health/Check",
      ":authority": "127.0.0.1:1",
      "content-type": "application/grpc",
      te: "trailers",
      traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
      "set-cookie": ["a=1", "b=2"],
    };
    const reference = new Headers();
    for (const [k, v] of Object.entries(incoming)) {
      if (k.startsWith(":")) continue;
      for (const one of Array.isArray(v) ? v : [v]) reference.append(k, one);
    }
    const ops: Op[] = [
      ["get", "Content-Type"],
      ["get", "set-cookie"],
      ["get", "missing"],
      ["has", "te"],
      ["has", "missing"],
      ["has", ":path"],
      ["get", ":path"],
      ["append", "te", "x"],
      ["get", "te"],
      ["get", "traceparent"],
    ];
    expect(observe(LeanHeaders.fromHttp2(incoming), ops)).toEqual(observe(reference, ops));
  });

  it("is a HeadersInit for undici's Headers and for ConnectError metadata", () => {
    const lean = new LeanHeaders();
    lean.set("x-a", "1");
    lean.append("set-cookie", "a=1");
    lean.append("set-cookie", "b=2");
    expect([...new Headers(lean)]).toEqual([...lean]);
    expect(Object.prototype.toString.call(lean)).toBe("[object Headers]");
  });
});
