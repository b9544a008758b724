import { HealthService, RouterService, SchedulerService } from "@orchestrator/contracts";
import { DomainError } from "@orchestrator/errors";
import { describe, expect, it } from "vitest";
import { httpBindings, type HttpBinding } from "./http-bindings.js";
import { requestJson } from "./request-json.js";

const binding = (name: string): HttpBinding => httpBindings([RouterService, HealthService, SchedulerService]).find((b) => b.rpc.name === name)!;
const violation = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return e instanceof DomainError ? { field: e.violations[0]?.field, reason: e.reason } : e;
  }
  throw new Error("no error");
};

describe("requestJson", () => {
  it("takes a body * as the request, path variables winning", () => {
    expect(requestJson(binding("ResolveGate"), { id: "g-1" }, {}, { id: "other", resolution: "yes" })).toEqual({ id: "g-1", resolution: "yes" });
    expect(requestJson(binding("Route"), {}, {}, undefined)).toEqual({});
  });

  it("reads query parameters by proto or JSON name: repeated keys, booleans, numbers as strings", () => {
    expect(requestJson(binding("CheckHealth"), {}, { instances: ["A", "B-C"] }, undefined)).toEqual({ instances: ["A", "B-C"] });
    expect(requestJson(binding("ListTasks"), {}, { ready: "true", run_id: "r-1", limit: "5" }, undefined)).toEqual({ ready: true, runId: "r-1", limit: "5" });
    expect(requestJson(binding("GetSession"), { session_id: "s1" }, { includeHistory: "" }, undefined)).toEqual({ sessionId: "s1", includeHistory: true });
  });

  it("names the parameter or field that cannot be taken", () => {
    expect(violation(() => requestJson(binding("CheckHealth"), {}, { instance: "A" }, undefined))).toEqual({ field: "instance", reason: "unknown_field" });
    expect(violation(() => requestJson(binding("ListTasks"), {}, { ready: "maybe" }, undefined))).toEqual({ field: "ready", reason: "invalid_argument" });
    expect(violation(() => requestJson(binding("GetTask"), { id: "t" }, { limit: ["1", "2"] }, undefined))).toEqual({ field: "limit", reason: "unknown_field" });
    expect(violation(() => requestJson(binding("Route"), {}, {}, ["A"]))).toEqual({ field: "(body)", reason: "malformed_json" });
    expect(violation(() => requestJson(binding("Route"), {}, { key: "k" }, {}))).toEqual({ field: "key", reason: "unknown_field" });
    expect(violation(() => requestJson(binding("CheckHealth"), {}, {}, { instances: ["A"] }))).toEqual({ field: "(body)", reason: "unexpected_body" });
  });
});
