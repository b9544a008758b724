import type { Interceptor } from "@connectrpc/connect";

/** Client interceptor sending `Authorization: Bearer <apiKey>` on every call. */
export function createBearerAuthInterceptor(apiKey: string): Interceptor {
  const value = `Bearer ${apiKey}`;
  return (next) => (req) => {
    req.header.set("authorization", value);
    return next(req);
  };
}
