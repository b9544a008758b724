import { create, type DescFile } from "@bufbuild/protobuf";
import type { ConnectRouter, HandlerContext } from "@connectrpc/connect";
import { reflectionV1, reflectionV1alpha } from "@orchestrator/contracts";
import { answerReflectionRequest, type ReflectionAnswer, type ReflectionQuery } from "./answer-reflection-request.js";
import { createReflectionIndex, type ReflectionIndex } from "./create-reflection-index.js";
import type { ServiceModule } from "./service-module.js";
import { untilAborted } from "./until-aborted.js";

/**
 * gRPC server reflection, `grpc.reflection.v1` and `v1alpha` (older grpcurl
 * builds speak only v1alpha), answering from `files` plus the files of every
 * service registered on the same router, with their transitive dependencies.
 * `list_services` names every service on the router, Health and reflection
 * included. The index is built on the first request, after every module has
 * registered. Streams end when the call's signal aborts (shutdown).
 */
export function createReflectionModule(files: readonly DescFile[]): ServiceModule {
  let state: { index: ReflectionIndex; serviceNames: string[] } | undefined;
  let routerRef: ConnectRouter | undefined;

  const lookup = () => {
    if (!state) {
      const services = [...new Set((routerRef?.handlers ?? []).map((h) => h.service))];
      state = {
        index: createReflectionIndex([...files, ...services.map((s) => s.file)]),
        serviceNames: [...new Set(services.map((s) => s.typeName))].sort(),
      };
    }
    return state;
  };

  /** One stream handler for both versions: `respond` wraps the shared answer in that version's message. */
  const serve =
    <Req extends { host: string; messageRequest: ReflectionQuery }, Res>(respond: (req: Req, answer: ReflectionAnswer) => Res) =>
    async function* (requests: AsyncIterable<Req>, ctx: HandlerContext): AsyncGenerator<Res> {
      for await (const req of untilAborted(requests, ctx.signal)) {
        const { index, serviceNames } = lookup();
        yield respond(req, answerReflectionRequest(index, serviceNames, req.messageRequest));
      }
    };

  return {
    serviceNames: [],
    register(router) {
      routerRef = router;
      router.service(reflectionV1.ServerReflection, {
        serverReflectionInfo: serve((req: reflectionV1.ServerReflectionRequest, answer) =>
          create(reflectionV1.ServerReflectionResponseSchema, { validHost: req.host, originalRequest: req, messageResponse: answer }),
        ),
      });
      router.service(reflectionV1alpha.ServerReflection, {
        serverReflectionInfo: serve((req: reflectionV1alpha.ServerReflectionRequest, answer) =>
          create(reflectionV1alpha.ServerReflectionResponseSchema, { validHost: req.host, originalRequest: req, messageResponse: answer }),
        ),
      });
    },
  };
}
