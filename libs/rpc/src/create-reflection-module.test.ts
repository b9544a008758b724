import { fromBinary } from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema } from "@bufbuild/protobuf/wkt";
import * as grpc from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { grpcJsReflect, type GrpcJsReflectionResponse } from "./testing/grpc-js-clients.js";
import { startTestServer, type TestServer } from "./testing/start-test-server.js";

const fileNames = (res: GrpcJsReflectionResponse | undefined) =>
  (res?.file_descriptor_response?.file_descriptor_proto ?? []).map((b) => fromBinary(FileDescriptorProtoSchema, b).name);

describe.each(["v1", "v1alpha"] as const)("grpc.reflection.%s, as grpcurl uses it", (version) => {
  let t: TestServer;
  const auth = new grpc.Metadata();
  auth.set("authorization", "Bearer k1");
  beforeAll(async () => {
    t = await startTestServer({ apiKeys: ["k1"] });
  });
  afterAll(() => t.server.close());

  it("lists every registered service, health and reflection included", async () => {
    const [res] = await grpcJsReflect(t.server.address, version, [{ list_services: "*" }], auth);
    expect(res?.message_response).toBe("list_services_response");
    expect(res?.list_services_response?.service.map((s) => s.name)).toEqual([
      "grpc.health.v1.Health",
      "grpc.reflection.v1.ServerReflection",
      "grpc.reflection.v1alpha.ServerReflection",
      "orchestrator.health.v1.HealthService",
      "orchestrator.worker.v1.WorkerService",
    ]);
  });

  it("answers file_containing_symbol with the file and its transitive dependencies", async () => {
    const [res] = await grpcJsReflect(
      t.server.address,
      version,
      [{ file_containing_symbol: "orchestrator.health.v1.HealthService" }],
      auth,
    );
    const names = fileNames(res);
    expect(names[0]).toBe("orchestrator/health/v1/health.proto");
    expect(names).toEqual(
      expect.arrayContaining([
        "buf/validate/validate.proto",
        "google/protobuf/descriptor.proto",
        "google/protobuf/duration.proto",
        "google/protobuf/timestamp.proto",
      ]),
    );
    const file = fromBinary(FileDescriptorProtoSchema, res!.file_descriptor_response!.file_descriptor_proto[0]!);
    expect(file.service[0]?.method.map((m) => m.name)).toContain("RegisterInstance");
    expect(file.messageType.find((m) => m.name === "RegisterInstanceRequest")?.field.map((f) => f.name)).toContain("name");
  });

  it.each([
    ["a method", "orchestrator.worker.v1.WorkerService.Execute", "orchestrator/worker/v1/worker.proto"],
    ["a message", "orchestrator.worker.v1.ExecuteRequest", "orchestrator/worker/v1/worker.proto"],
    ["a nested message", "orchestrator.worker.v1.ExecuteRequest.MetadataEntry", "orchestrator/worker/v1/worker.proto"],
    ["a field", "orchestrator.health.v1.RegisterInstanceRequest.name", "orchestrator/health/v1/health.proto"],
    ["an enum", "orchestrator.health.v1.HealthState", "orchestrator/health/v1/health.proto"],
    ["an enum value", "orchestrator.health.v1.HEALTH_STATE_DOWN", "orchestrator/health/v1/health.proto"],
    ["a leading dot", ".grpc.health.v1.Health", "grpc/health/v1/health.proto"],
    ["a dependency's message", "google.protobuf.Struct", "google/protobuf/struct.proto"],
  ])("finds the file of %s", async (_what, symbol, file) => {
    const [res] = await grpcJsReflect(t.server.address, version, [{ file_containing_symbol: symbol }], auth);
    expect(fileNames(res)[0]).toBe(file);
  });

  it("answers file_by_filename, and NOT_FOUND for unknown files and symbols without ending the stream", async () => {
    const responses = await grpcJsReflect(
      t.server.address,
      version,
      [
        { file_by_filename: "orchestrator/worker/v1/worker.proto" },
        { file_by_filename: "nope.proto" },
        { file_containing_symbol: "nope.v1.Nope" },
        { file_by_filename: "google/protobuf/struct.proto" },
      ],
      auth,
    );
    expect(responses.map((r) => r.message_response)).toEqual([
      "file_descriptor_response",
      "error_response",
      "error_response",
      "file_descriptor_response",
    ]);
    expect(fileNames(responses[0])).toEqual([
      "orchestrator/worker/v1/worker.proto",
      "buf/validate/validate.proto",
      "google/protobuf/descriptor.proto",
      "google/protobuf/duration.proto",
      "google/protobuf/field_mask.proto",
      "google/protobuf/timestamp.proto",
      "google/protobuf/struct.proto",
    ]);
    expect(responses[1]?.error_response?.error_code).toBe(grpc.status.NOT_FOUND);
    expect(responses[2]?.error_response?.error_code).toBe(grpc.status.NOT_FOUND);
    expect(fileNames(responses[3])).toEqual(["google/protobuf/struct.proto"]);
  });

  it("answers extension lookups from the files' extensions", async () => {
    const responses = await grpcJsReflect(
      t.server.address,
      version,
      [
        { all_extension_numbers_of_type: "google.protobuf.FieldOptions" },
        { file_containing_extension: { containing_type: "google.protobuf.FieldOptions", extension_number: 1159 } },
        { file_containing_extension: { containing_type: "google.protobuf.FieldOptions", extension_number: 1 } },
        { all_extension_numbers_of_type: "nope.Message" },
        { all_extension_numbers_of_type: "orchestrator.worker.v1.ExecuteRequest" },
      ],
      auth,
    );
    expect(responses[0]?.all_extension_numbers_response?.base_type_name).toBe("google.protobuf.FieldOptions");
    expect(responses[0]?.all_extension_numbers_response?.extension_number).toContain(1159); // (buf.validate.field)
    expect(fileNames(responses[1])[0]).toBe("buf/validate/validate.proto");
    expect(responses[2]?.error_response?.error_code).toBe(grpc.status.NOT_FOUND);
    expect(responses[3]?.error_response?.error_code).toBe(grpc.status.NOT_FOUND);
    expect(responses[4]?.all_extension_numbers_response?.extension_number).toEqual([]);
  });

  it("requires the API key like every other non-health service", async () => {
    const err = (await grpcJsReflect(t.server.address, version, [{ list_services: "" }]).catch((e: unknown) => e)) as grpc.ServiceError;
    expect(err.code).toBe(grpc.status.UNAUTHENTICATED);
  });
});
