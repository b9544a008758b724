import { HealthService, RouterService, SchedulerService } from "@orchestrator/contracts";
import { describe, expect, it } from "vitest";
import { httpBindings } from "./http-bindings.js";

describe("httpBindings", () => {
  it("reads google.api.http from the embedded descriptors, additional bindings included", () => {
    const route = httpBindings([RouterService]).filter((b) => b.rpc.name === "Route");
    expect(route.map((b) => [b.verb, b.path, b.body])).toEqual([
      ["POST", "/api/orchestrator/route", "*"],
      ["POST", "/orchestrator/route", "*"],
    ]);
  });

  it("resolves path variables and response_body to fields", () => {
    const [health] = httpBindings([HealthService]).filter((b) => b.rpc.name === "CheckHealth");
    expect(health).toMatchObject({ verb: "GET", path: "/api/orchestrator/health", body: "" });
    expect(health!.responseBody?.name).toBe("statuses");
    const [resolve] = httpBindings([SchedulerService]).filter((b) => b.rpc.name === "ResolveGate");
    expect(resolve!.pathFields.map((f) => f.name)).toEqual(["id"]);
  });

  it("leaves RPCs without the option out", () => {
    expect(httpBindings([HealthService]).map((b) => b.rpc.name)).not.toContain("RegisterInstance");
  });
});
