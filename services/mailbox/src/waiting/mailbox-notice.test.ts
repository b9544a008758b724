import { describe, expect, it } from "vitest";
import { decodeNotice, encodeNotices, MAX_NOTICE_BYTES, noticesFor } from "./mailbox-notice.js";

describe("mailbox notices", () => {
  it("round-trips a small send in one payload", () => {
    const notices = encodeNotices("r1", [{ type: "worker_done", handles: ["coordinator"] }]);
    expect(notices).toEqual(["r1 worker_done:coordinator"]);
    expect(decodeNotice(notices[0]!)).toEqual({ origin: "r1", groups: [{ type: "worker_done", handles: ["coordinator"] }] });
  });

  it("puts a batch of sends of several types into ONE payload, each handle once per type", () => {
    const notices = noticesFor("r2", [
      { type: "status", recipients: ["a", "b"] },
      { type: "dispatch", recipients: ["kite-1"] },
      { type: "status", recipients: ["b", "c"] },
    ]);
    expect(notices).toEqual(["r2 status:a b c dispatch:kite-1"]);
    expect(decodeNotice(notices[0]!)).toEqual({
      origin: "r2",
      groups: [
        { type: "status", handles: ["a", "b", "c"] },
        { type: "dispatch", handles: ["kite-1"] },
      ],
    });
  });

  it("splits a big group send into payloads under the NOTIFY limit, losing no handle", () => {
    const handles = Array.from({ length: 5000 }, (_, i) => `agent-with-a-rather-long-handle-name-${String(i).padStart(5, "0")}`);
    const notices = encodeNotices("r3", [
      { type: "dispatch", handles },
      { type: "status", handles: ["last"] },
    ]);
    expect(notices.length).toBeGreaterThan(1);
    for (const n of notices) expect(Buffer.byteLength(n)).toBeLessThanOrEqual(MAX_NOTICE_BYTES);
    const decoded = notices.map((n) => decodeNotice(n)!);
    expect(decoded.every((d) => d.origin === "r3")).toBe(true);
    const groups = decoded.flatMap((d) => d.groups);
    expect(groups.filter((g) => g.type === "dispatch").flatMap((g) => g.handles)).toEqual(handles);
    expect(groups.filter((g) => g.type === "status").flatMap((g) => g.handles)).toEqual(["last"]);
  });

  it("encodes nothing for no recipients", () => {
    expect(encodeNotices("r4", [])).toEqual([]);
  });

  it("reads the older one-type payload of a replica not yet upgraded", () => {
    expect(decodeNotice("handoff lead kite-2")).toEqual({ origin: undefined, groups: [{ type: "handoff", handles: ["lead", "kite-2"] }] });
  });

  it.each(["", "status", "status  a", "x", "r1 status:", "r1 :a", "r1 status:a:b", "r1:x status:a", "status a b:c"])(
    "rejects the unreadable payload %j",
    (payload) => {
      expect(decodeNotice(payload)).toBeUndefined();
    },
  );
});
