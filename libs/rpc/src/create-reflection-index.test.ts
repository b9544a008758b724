import { fromBinary } from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema } from "@bufbuild/protobuf/wkt";
import { Code } from "@connectrpc/connect";
import { allFiles } from "@orchestrator/contracts";
import { describe, expect, it } from "vitest";
import { answerReflectionRequest } from "./answer-reflection-request.js";
import { createReflectionIndex } from "./create-reflection-index.js";

const index = createReflectionIndex(allFiles);

describe("createReflectionIndex", () => {
  it("indexes transitive dependencies by file name", () => {
    expect(index.fileByName("buf/validate/validate.proto")?.proto.name).toBe("buf/validate/validate.proto");
    expect(index.fileByName("google/protobuf/descriptor.proto")).toBeDefined();
    expect(index.fileByName("nope.proto")).toBeUndefined();
  });

  it("finds map entry types, oneofs and extensions by symbol", () => {
    expect(index.fileContainingSymbol("orchestrator.health.v1.RegisterInstanceRequest.LabelsEntry")?.proto.name).toBe(
      "orchestrator/health/v1/health.proto",
    );
    expect(index.fileContainingSymbol("grpc.reflection.v1.ServerReflectionRequest.message_request")?.proto.name).toBe(
      "grpc/reflection/v1/reflection.proto",
    );
    expect(index.fileContainingSymbol("buf.validate.field")?.proto.name).toBe("buf/validate/validate.proto");
  });

  it("encodes a file then each dependency once, as decodable FileDescriptorProtos", () => {
    const file = index.fileByName("orchestrator/health/v1/health.proto")!;
    const names = index.encodeWithDependencies(file).map((b) => fromBinary(FileDescriptorProtoSchema, b).name);
    expect(names[0]).toBe("orchestrator/health/v1/health.proto");
    expect(new Set(names).size).toBe(names.length);
    expect(names).toContain("google/protobuf/timestamp.proto");
  });
});

describe("answerReflectionRequest", () => {
  it("answers an empty request with INVALID_ARGUMENT instead of throwing", () => {
    const answer = answerReflectionRequest(index, [], { case: undefined });
    expect(answer).toEqual({ case: "errorResponse", value: { errorCode: Code.InvalidArgument, errorMessage: "empty reflection request" } });
  });

  it("answers the service names it was given", () => {
    expect(answerReflectionRequest(index, ["a.B"], { case: "listServices", value: "" })).toEqual({
      case: "listServicesResponse",
      value: { service: [{ name: "a.B" }] },
    });
  });
});
