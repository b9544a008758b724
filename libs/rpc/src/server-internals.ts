/**
 * The server's building blocks below startServer, for benchmarks that measure
 * each layer alone (bench/rpc.ts). A separate entry point: the validation
 * interceptor loads protovalidate, which the package's main entry keeps lazy.
 */
export { createGrpcStreamHandler } from "./create-grpc-stream-handler.js";
export { createValidationInterceptor } from "./create-validation-interceptor.js";
export { recordMethods, type MethodSpecs } from "./record-methods.js";
