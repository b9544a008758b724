import { create, fromBinary, fromJson, toBinary, toJson, type JsonValue } from "@bufbuild/protobuf";
import { createFileRegistry, type FileRegistry } from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema, FileDescriptorSetSchema, type FileDescriptorProto } from "@bufbuild/protobuf/wkt";
import * as grpc from "@grpc/grpc-js";
import { reflectionV1 } from "@orchestrator/contracts";
import { createServiceClient } from "@orchestrator/rpc";

/**
 * Does what `grpcurl -plaintext -d '<json>' ADDRESS SERVICE/METHOD` does,
 * for tests on machines without grpcurl: learns the contract through server
 * reflection only (no .proto files, no generated code), converts the JSON
 * body to protobuf with it, calls the unary method over plain gRPC with
 * grpc-js, and answers the response as protobuf JSON.
 */
export async function grpcurl(address: string, fullMethod: string, body: JsonValue): Promise<JsonValue> {
  const [serviceName, methodName] = fullMethod.split("/") as [string, string];
  const registry = await reflectRegistry(address, serviceName);
  const method = registry.getService(serviceName)?.methods.find((m) => m.name === methodName);
  if (!method) throw new Error(`${fullMethod}: not found through reflection`);
  const request = toBinary(method.input, fromJson(method.input, body, { registry }));
  const client = new grpc.Client(address, grpc.credentials.createInsecure());
  try {
    const response = await new Promise<Buffer>((resolve, reject) => {
      client.makeUnaryRequest(`/${fullMethod}`, (b: Buffer) => b, (b: Buffer) => b, Buffer.from(request), (err, res) => (err ? reject(err) : resolve(res!)));
    });
    return toJson(method.output, fromBinary(method.output, response), { registry });
  } finally {
    client.close();
  }
}

/** Every file a symbol needs, fetched over grpc.reflection.v1 (dependencies by file name until none is missing). */
async function reflectRegistry(address: string, symbol: string): Promise<FileRegistry> {
  const files = new Map<string, FileDescriptorProto>();
  let requests: reflectionV1.ServerReflectionRequest["messageRequest"][] = [{ case: "fileContainingSymbol", value: symbol }];
  while (requests.length > 0) {
    for (const bytes of await reflect(address, requests)) {
      const file = fromBinary(FileDescriptorProtoSchema, bytes);
      files.set(file.name, file);
    }
    const missing = new Set([...files.values()].flatMap((f) => f.dependency).filter((d) => !files.has(d)));
    requests = [...missing].map((name) => ({ case: "fileByFilename" as const, value: name }));
  }
  // createFileRegistry resolves imports in order: dependencies first.
  const ordered: FileDescriptorProto[] = [];
  const visit = (name: string) => {
    const file = files.get(name);
    if (!file || ordered.includes(file)) return;
    file.dependency.forEach(visit);
    ordered.push(file);
  };
  [...files.keys()].forEach(visit);
  return createFileRegistry(create(FileDescriptorSetSchema, { file: ordered }));
}

async function reflect(address: string, requests: reflectionV1.ServerReflectionRequest["messageRequest"][]): Promise<Uint8Array[]> {
  const client = createServiceClient(reflectionV1.ServerReflection, { address, timeoutMs: 10_000 });
  async function* messages() {
    for (const messageRequest of requests) yield create(reflectionV1.ServerReflectionRequestSchema, { messageRequest });
  }
  const out: Uint8Array[] = [];
  for await (const res of client.serverReflectionInfo(messages())) {
    if (res.messageResponse.case === "fileDescriptorResponse") out.push(...res.messageResponse.value.fileDescriptorProto);
    if (res.messageResponse.case === "errorResponse") throw new Error(`reflection: ${res.messageResponse.value.errorMessage}`);
  }
  return out;
}
