/**
 * Bench helper (not a bench itself): the floor of any proxy that terminates
 * a gRPC call in Node. A bare @grpc/grpc-js server whose one method,
 * orchestrator.worker.v1.WorkerService/Execute, forwards the request bytes
 * to the instance with a grpc-js client and answers the response bytes:
 * identity (de)serializers, no decoding, no choice, no retries, no metadata.
 * Run by bench/router.ts in its own process; prints
 * `{"address": "127.0.0.1:PORT"}` once listening; exits on SIGTERM.
 *
 *   node --import tsx bench/support/bare-grpc-proxy.ts 127.0.0.1:UPSTREAM
 */
import * as grpc from "@grpc/grpc-js";

const upstream = process.argv[2];
if (!upstream) throw new Error("usage: bare-grpc-proxy.ts UPSTREAM_HOST:PORT");

const identity = (bytes: Buffer) => bytes;
const execute = {
  path: "/orchestrator.worker.v1.WorkerService/Execute",
  requestStream: false,
  responseStream: false,
  requestSerialize: identity,
  requestDeserialize: identity,
  responseSerialize: identity,
  responseDeserialize: identity,
} as const;
const definition = { execute } satisfies grpc.ServiceDefinition;

const Upstream = grpc.makeGenericClientConstructor(definition, "WorkerService");
const client = new Upstream(upstream, grpc.credentials.createInsecure()) as unknown as grpc.Client & {
  execute(request: Buffer, callback: (err: grpc.ServiceError | null, response?: Buffer) => void): grpc.ClientUnaryCall;
};

const server = new grpc.Server();
server.addService(definition, {
  execute: (call: grpc.ServerUnaryCall<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>) => {
    client.execute(call.request, (err, response) => (err ? callback(err) : callback(null, response)));
  },
});
const port = await new Promise<number>((resolve, reject) =>
  server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
);
process.stdout.write(`${JSON.stringify({ address: `127.0.0.1:${port}` })}\n`);
process.once("SIGTERM", () => server.tryShutdown(() => process.exit(0)));
