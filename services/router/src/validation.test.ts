import { create, fromJson, type JsonValue } from "@bufbuild/protobuf";
import { ValueSchema } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError } from "@connectrpc/connect";
import { errorReason, fieldViolations } from "@orchestrator/rpc";
import { waitFor } from "@orchestrator/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startRouter, type RouterFixture } from "./test-support.js";

let fx: RouterFixture;
const value = (json: JsonValue) => fromJson(ValueSchema, json);

async function failure(call: Promise<unknown>): Promise<ConnectError> {
  try {
    await call;
  } catch (error) {
    return ConnectError.from(error);
  }
  throw new Error("expected the call to fail");
}

beforeAll(async () => {
  fx = await startRouter();
  for (const name of ["A", "B", "C"]) await fx.startWorker(name);
  await waitFor("view sees A-C", () => fx.module.view.list().length === 3);
});
afterAll(() => fx.close());

type Case = [string, () => Promise<unknown>, Code, string];

describe("bad input gets a clear error naming the field", () => {
  const c = () => fx.client();
  const noKind = create(ValueSchema, {});
  const cases: Case[] = [
    ["Route: empty selector list", () => c().route({ instances: [], payload: value(1) }), Code.InvalidArgument, "instances"],
    ["Route: empty selector", () => c().route({ instances: [""], payload: value(1) }), Code.InvalidArgument, "instances[0]"],
    ["Route: malformed selector", () => c().route({ instances: ["A", "A-"], payload: value(1) }), Code.InvalidArgument, "instances[1]"],
    ["Route: payload that is not JSON (no kind)", () => c().route({ instances: ["A"], payload: noKind }), Code.InvalidArgument, "payload"],
    [
      "Route: payload with a non-finite number",
      () => c().route({ instances: ["A"], payload: create(ValueSchema, { kind: { case: "structValue", value: { fields: { x: create(ValueSchema, { kind: { case: "numberValue", value: Number.NaN } }) } } } }) }),
      Code.InvalidArgument,
      "payload.x",
    ],
    ["Route: negative timeout", () => c().route({ instances: ["A"], payload: value(1), timeout: { seconds: -1n } }), Code.InvalidArgument, "timeout"],
    ["Route: zero attempt timeout", () => c().route({ instances: ["A"], payload: value(1), attemptTimeout: {} }), Code.InvalidArgument, "attempt_timeout"],
    ["Route: unknown fallback", () => c().route({ instances: ["A"], payload: value(1), fallback: "maybe" }), Code.InvalidArgument, "fallback"],
    ["Route: too many attempts", () => c().route({ instances: ["A"], payload: value(1), maxAttempts: 11 }), Code.InvalidArgument, "max_attempts"],
    ["Fanout: empty targets", () => c().fanout({ targets: [], payload: value(1) }), Code.InvalidArgument, "targets"],
    ["Fanout: unknown aggregate mode", () => c().fanout({ targets: ["A-C"], payload: value(1), aggregate: "sum" }), Code.InvalidArgument, "aggregate"],
    ["Fanout: quorum larger than the targets", () => c().fanout({ targets: ["A-C"], payload: value(1), aggregate: "quorum", quorum: 4 }), Code.InvalidArgument, "quorum"],
    ["Fanout: quorum mode without a quorum", () => c().fanout({ targets: ["A-C"], payload: value(1), aggregate: "quorum" }), Code.InvalidArgument, "quorum"],
    ["Fanout: quorum with another mode", () => c().fanout({ targets: ["A-C"], payload: value(1), aggregate: "all", quorum: 2 }), Code.InvalidArgument, "quorum"],
    ["Fanout: negative timeout", () => c().fanout({ targets: ["A-C"], payload: value(1), timeout: { seconds: -5n } }), Code.InvalidArgument, "timeout"],
    ["Fanout: payload for a non-target", () => c().fanout({ targets: ["A", "B"], payload: value(1), payloads: { C: value(2) } }), Code.InvalidArgument, 'payloads["C"]'],
    ["Fanout: payload that is not JSON", () => c().fanout({ targets: ["A"], payload: noKind }), Code.InvalidArgument, "payload"],
    ["FanoutStream: unknown aggregate mode", () => drain(c().fanoutStream({ targets: ["A"], payload: value(1), aggregate: "avg" })), Code.InvalidArgument, "aggregate"],
    ["SpawnSession: bad session id", () => c().spawnSession({ sessionId: "no spaces allowed" }), Code.InvalidArgument, "session_id"],
    ["SpawnSession: zero ttl", () => c().spawnSession({ sessionId: "s", ttl: {} }), Code.InvalidArgument, "ttl"],
    ["SpawnSession: empty selector", () => c().spawnSession({ instances: [""] }), Code.InvalidArgument, "instances[0]"],
    ["SpawnSession: selector in no pool given", () => c().spawnSession({ instances: ["A"], pool: "other" }), Code.InvalidArgument, "pool"],
    ["SendSession: data that is not JSON", () => c().sendSession({ sessionId: "s", data: noKind }), Code.InvalidArgument, "data"],
    ["SendSession: negative timeout", () => c().sendSession({ sessionId: "s", data: value(1), timeout: { seconds: -1n } }), Code.InvalidArgument, "timeout"],
    ["GetSession: empty id", () => c().getSession({ sessionId: "" }), Code.InvalidArgument, "session_id"],
  ];

  it.each(cases)("%s", async (_label, call, code, field) => {
    const err = await failure(call());
    expect(err.code).toBe(code);
    expect(fieldViolations(err).map((v) => v.field)).toContain(field);
    expect(err.rawMessage).toContain(field.replace(/\[.*$/, ""));
  });

  it("SendSession without id or token says one of them is required", async () => {
    const err = await failure(fx.client().sendSession({ data: value(1) }));
    expect(err.code).toBe(Code.InvalidArgument);
    expect(err.rawMessage).toMatch(/session_id|token|oneof|required/);
  });

  it("a selector matching nothing is NOT_FOUND naming it; an unknown session is NOT_FOUND naming session_id", async () => {
    const none = await failure(fx.client().route({ instances: ["A", "X-*"], payload: value(1) }));
    expect([none.code, errorReason(none)]).toEqual([Code.NotFound, "no_match"]);
    expect(none.rawMessage).toContain('instances[1]: selector "X-*"');
    const unknown = await failure(fx.client().route({ instances: ["Q"], payload: value(1) }));
    expect([unknown.code, errorReason(unknown)]).toEqual([Code.NotFound, "unknown_instance"]);
    expect(unknown.rawMessage).toBe('instances[0]: instance "Q" not found');
    const fanNone = await failure(fx.client().fanout({ targets: ["@pool:none"], payload: value(1) }));
    expect(fanNone.rawMessage).toContain("@pool:none");
    const ghost = await failure(fx.client().getSession({ sessionId: "ghost" }));
    expect([ghost.code, errorReason(ghost)]).toEqual([Code.NotFound, "unknown_session"]);
    expect(ghost.rawMessage).toContain("session_id");
    const closeGhost = await failure(fx.client().closeSession({ sessionId: "ghost" }));
    expect(errorReason(closeGhost)).toBe("unknown_session");
  });

  it("a rejected request changes nothing", async () => {
    await failure(fx.client().spawnSession({ sessionId: "kept-out", instances: ["A"], pool: "other" }));
    const ghost = await failure(fx.client().getSession({ sessionId: "kept-out" }));
    expect(errorReason(ghost)).toBe("unknown_session");
  });
});

async function drain(stream: AsyncIterable<unknown>): Promise<void> {
  for await (const _ of stream) {
    // consume
  }
}
