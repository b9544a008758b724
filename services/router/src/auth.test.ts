import { fromJson } from "@bufbuild/protobuf";
import { ValueSchema } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError } from "@connectrpc/connect";
import { RouterService } from "@orchestrator/contracts";
import { createServiceClient, errorReason } from "@orchestrator/rpc";
import { waitFor } from "@orchestrator/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startRouter, type RouterFixture } from "./test-support.js";

describe("with an API key", () => {
  let fx: RouterFixture;
  beforeAll(async () => {
    fx = await startRouter({ apiKey: "control-plane-key" });
    await fx.startWorker("K1");
    await fx.startWorker("STRANGER", { serverApiKeys: ["another-key"] });
    // The fake health service on the same port requires the key too: the view fills only if the feed sends it.
    await waitFor("view sees K1, STRANGER", () => fx.module.view.get("K1") && fx.module.view.get("STRANGER"));
  });
  afterAll(() => fx.close());

  it("refuses callers without the key", async () => {
    const anonymous = createServiceClient(RouterService, { address: fx.address });
    const err = await anonymous.route({ instances: ["K1"] }).catch((e: unknown) => ConnectError.from(e));
    expect((err as ConnectError).code).toBe(Code.Unauthenticated);
  });

  it("sends the control plane's key to workers", async () => {
    expect((await fx.client().route({ instances: ["K1"], payload: fromJson(ValueSchema, 1) })).instance).toBe("K1");
  });

  it("passes a worker's UNAUTHENTICATED through without retrying it", async () => {
    const err = (await fx.client().route({ instances: ["STRANGER"] }).catch((e: unknown) => ConnectError.from(e))) as ConnectError;
    expect(err.code).toBe(Code.Unauthenticated);
    expect(errorReason(err)).toBe("instance_error");
    expect(err.rawMessage).toContain('instance "STRANGER"');
  });
});
