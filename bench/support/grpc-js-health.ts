/**
 * Bench helper: grpc.health.v1.Health Check on plain @grpc/grpc-js, with
 * protobuf-es (de)serializers of the generated schemas (no proto-loader):
 * the "bare grpc-js" peer the rpc bench compares our stack with.
 */
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import * as grpc from "@grpc/grpc-js";
import { grpcHealth } from "@orchestrator/contracts";

type Req = grpcHealth.HealthCheckRequest;
type Res = grpcHealth.HealthCheckResponse;

/** The Check method as grpc-js wants a service definition. */
export const healthCheckDefinition = {
  check: {
    path: "/grpc.health.v1.Health/Check",
    requestStream: false,
    responseStream: false,
    requestSerialize: (m: Req) => Buffer.from(toBinary(grpcHealth.HealthCheckRequestSchema, m)),
    requestDeserialize: (b: Buffer) => fromBinary(grpcHealth.HealthCheckRequestSchema, b),
    responseSerialize: (m: Res) => Buffer.from(toBinary(grpcHealth.HealthCheckResponseSchema, m)),
    responseDeserialize: (b: Buffer) => fromBinary(grpcHealth.HealthCheckResponseSchema, b),
  },
} satisfies grpc.ServiceDefinition;

const SERVING = create(grpcHealth.HealthCheckResponseSchema, { status: grpcHealth.HealthCheckResponse_ServingStatus.SERVING });

/** The implementation both bare servers run: always SERVING. */
export const checkImpl: grpc.handleUnaryCall<Req, Res> = (_call, callback) => callback(null, SERVING);

/** A bare grpc-js server answering Check, listening on 127.0.0.1:port (0 = ephemeral); resolves its address. */
export async function startBareGrpcJsServer(port = 0): Promise<{ address: string; server: grpc.Server }> {
  const server = new grpc.Server();
  server.addService(healthCheckDefinition, { check: checkImpl });
  const bound = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`127.0.0.1:${port}`, grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  );
  return { address: `127.0.0.1:${bound}`, server };
}

/** A bare grpc-js client of Check; returns a function making one call. */
export function bareGrpcJsCheck(address: string): { call: () => Promise<Res>; close: () => void } {
  const Ctor = grpc.makeGenericClientConstructor(healthCheckDefinition, "Health");
  const client = new Ctor(address, grpc.credentials.createInsecure()) as unknown as grpc.Client & {
    check(req: Req, cb: (err: grpc.ServiceError | null, res: Res) => void): void;
  };
  const req = create(grpcHealth.HealthCheckRequestSchema, {});
  return {
    call: () => new Promise((resolve, reject) => client.check(req, (err, res) => (err ? reject(err) : resolve(res)))),
    close: () => client.close(),
  };
}
