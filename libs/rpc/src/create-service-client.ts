import type { DescService } from "@bufbuild/protobuf";
import { createClient, type Client } from "@connectrpc/connect";
import type { ClientOptions } from "./client-options.js";
import { createTransport } from "./create-transport.js";

/**
 * A typed client for `service` over createTransport(options): gRPC over
 * HTTP/2 by default, bearer auth, tracing and a 30 s default deadline.
 */
export function createServiceClient<T extends DescService>(service: T, options: ClientOptions): Client<T> {
  return createClient(service, createTransport(options));
}
