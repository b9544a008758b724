import { fileURLToPath } from "node:url";
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";

const PROTO_ROOT = fileURLToPath(new URL("../../../../proto/", import.meta.url));

const LOADER_OPTIONS: protoLoader.Options = {
  keepCase: true,
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
  includeDirs: [PROTO_ROOT],
};

type Callback<T> = (err: grpc.ServiceError | null, res: T) => void;

/** A plain grpc-js client of grpc.health.v1.Health, as Kubernetes probes and other gRPC peers are. */
export interface GrpcJsHealthClient extends grpc.Client {
  Check(req: { service: string }, metadata: grpc.Metadata, cb: Callback<{ status: string }>): grpc.ClientUnaryCall;
  List(req: object, cb: Callback<{ statuses: Record<string, { status: string }> }>): grpc.ClientUnaryCall;
  Watch(req: { service: string }): grpc.ClientReadableStream<{ status: string }>;
}

/** A reflection request/response as proto-loader decodes them (snake_case, oneof case in `message_*`). */
export type GrpcJsReflectionResponse = {
  message_response: string;
  list_services_response?: { service: { name: string }[] };
  file_descriptor_response?: { file_descriptor_proto: Buffer[] };
  all_extension_numbers_response?: { base_type_name: string; extension_number: number[] };
  error_response?: { error_code: number; error_message: string };
};

/** A grpc-js ServerReflection client (v1 or v1alpha) from proto/grpc/reflection. */
export interface GrpcJsReflectionClient extends grpc.Client {
  ServerReflectionInfo(metadata?: grpc.Metadata): grpc.ClientDuplexStream<object, GrpcJsReflectionResponse>;
}

function load(file: string): grpc.GrpcObject {
  return grpc.loadPackageDefinition(protoLoader.loadSync(`${PROTO_ROOT}${file}`, LOADER_OPTIONS));
}

function pick(root: grpc.GrpcObject, path: string): grpc.ServiceClientConstructor {
  let node: unknown = root;
  for (const part of path.split(".")) {
    node = (node as Record<string, unknown>)[part];
  }
  return node as grpc.ServiceClientConstructor;
}

/** A grpc-js Health client from proto/grpc/health/v1/health.proto. */
export function createGrpcJsHealthClient(address: string): GrpcJsHealthClient {
  const Ctor = pick(load("grpc/health/v1/health.proto"), "grpc.health.v1.Health");
  return new Ctor(address, grpc.credentials.createInsecure()) as unknown as GrpcJsHealthClient;
}

/** Promisified Check with optional metadata. */
export function grpcJsCheck(client: GrpcJsHealthClient, service: string): Promise<string> {
  return new Promise((resolve, reject) => {
    client.Check({ service }, new grpc.Metadata(), (err, res) => (err ? reject(err) : resolve(res.status)));
  });
}

/** A grpc-js ServerReflection client made from proto/grpc/reflection/<version>/reflection.proto. */
export function createGrpcJsReflectionClient(address: string, version: "v1" | "v1alpha"): GrpcJsReflectionClient {
  const Ctor = pick(load(`grpc/reflection/${version}/reflection.proto`), `grpc.reflection.${version}.ServerReflection`);
  return new Ctor(address, grpc.credentials.createInsecure()) as unknown as GrpcJsReflectionClient;
}

/**
 * Sends `requests` on one ServerReflectionInfo stream (v1 or v1alpha) of a
 * grpc-js client made from proto/grpc/reflection, as grpcurl does, and
 * resolves every response once the server ends the stream.
 */
export function grpcJsReflect(
  address: string,
  version: "v1" | "v1alpha",
  requests: object[],
  metadata = new grpc.Metadata(),
): Promise<GrpcJsReflectionResponse[]> {
  const client = createGrpcJsReflectionClient(address, version);
  return new Promise((resolve, reject) => {
    const responses: GrpcJsReflectionResponse[] = [];
    const call = client.ServerReflectionInfo(metadata);
    call.on("data", (res) => responses.push(res));
    call.on("error", (err) => {
      client.close();
      reject(err);
    });
    call.on("end", () => {
      client.close();
      resolve(responses);
    });
    for (const req of requests) {
      call.write(req);
    }
    call.end();
  });
}
