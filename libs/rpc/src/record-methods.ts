import type { DescMethod } from "@bufbuild/protobuf";
import { createMethodImplSpec, createServiceImplSpec, type ConnectRouter, type MethodImplSpec } from "@connectrpc/connect";

/** Method implementations by request path (`/pkg.Service/Method`), as the modules registered them. */
export type MethodSpecs = Map<string, MethodImplSpec>;

/** The HTTP/2 `:path` of a method. */
export function methodPath(method: DescMethod): string {
  return `/${method.parent.typeName}/${method.name}`;
}

/**
 * Wraps a ConnectRouter so every implementation registered on it is also
 * recorded in `specs` (unless the registration turns gRPC off): the modules
 * register their handlers once, connect-node serves them on gRPC-Web and
 * Connect, and the core-stream gRPC handler (createGrpcStreamHandler) serves
 * the very same functions on gRPC.
 */
export function recordMethods(router: ConnectRouter, specs: MethodSpecs): ConnectRouter {
  const recording: ConnectRouter = {
    get handlers() {
      return router.handlers;
    },
    service(service, implementation, options) {
      router.service(service, implementation, options);
      if ((options as { grpc?: boolean } | undefined)?.grpc !== false) {
        const spec = createServiceImplSpec(service, implementation);
        for (const method of service.methods) {
          specs.set(methodPath(method), spec.methods[method.localName]!);
        }
      }
      return recording;
    },
    rpc(method, impl, options) {
      router.rpc(method, impl, options);
      if ((options as { grpc?: boolean } | undefined)?.grpc !== false) {
        specs.set(methodPath(method), createMethodImplSpec(method, impl));
      }
      return recording;
    },
  };
  return recording;
}
