import { fromJson, toJson } from "@bufbuild/protobuf";
import { ValueSchema } from "@bufbuild/protobuf/wkt";
import { WorkerService } from "@orchestrator/contracts";
import { createServiceClient } from "@orchestrator/rpc";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { runDemoInstance } from "./run-demo-instance.js";

describe("runDemoInstance", () => {
  it("serves the demo handler under its name", async () => {
    const instance = await runDemoInstance({ name: "H", port: 0, logger: pino({ level: "silent" }) });
    try {
      const client = createServiceClient(WorkerService, { address: instance.address });
      const response = await client.execute({ attempt: 3, sessionId: "s", sequence: 2n, payload: fromJson(ValueSchema, [1]) });
      expect(response.instance).toBe("H");
      expect(toJson(ValueSchema, response.result!)).toEqual({ instance: "H", echo: [1], attempt: 3, sessionId: "s", sequence: 2 });
    } finally {
      await instance.close();
    }
  });
});
