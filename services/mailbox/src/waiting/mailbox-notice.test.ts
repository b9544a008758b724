import { describe, expect, it } from "vitest";
import { decodeNotice, encodeNotices, MAX_NOTICE_BYTES } from "./mailbox-notice.js";

describe("mailbox notices", () => {
  it("round-trips a small send in one payload", () => {
    const notices = encodeNotices("worker_done", ["coordinator"]);
    expect(notices).toEqual(["worker_done coordinator"]);
    expect(decodeNotice(notices[0]!)).toEqual({ type: "worker_done", handles: ["coordinator"] });
  });

  it("splits a big group send into payloads under the NOTIFY limit, losing no handle", () => {
    const handles = Array.from({ length: 5000 }, (_, i) => `agent-with-a-rather-long-handle-name-${String(i).padStart(5, "0")}`);
    const notices = encodeNotices("dispatch", handles);
    expect(notices.length).toBeGreaterThan(1);
    for (const n of notices) expect(Buffer.byteLength(n)).toBeLessThanOrEqual(MAX_NOTICE_BYTES);
    const decoded = notices.map((n) => decodeNotice(n)!);
    expect(decoded.every((d) => d.type === "dispatch")).toBe(true);
    expect(decoded.flatMap((d) => d.handles)).toEqual(handles);
  });

  it.each(["", "status", "status  a", "x"])("rejects the unreadable payload %j", (payload) => {
    expect(decodeNotice(payload)).toBeUndefined();
  });
});
