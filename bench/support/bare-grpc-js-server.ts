/**
 * Bench helper (not a bench itself): a bare grpc-js server answering
 * grpc.health.v1.Health/Check in its own process, for the rpc bench's
 * black-box comparison with `orchestrator serve health`. Prints
 * `{"address": "127.0.0.1:PORT"}` once listening; exits on SIGTERM.
 *
 *   node --import tsx bench/support/bare-grpc-js-server.ts
 */
import { startBareGrpcJsServer } from "./grpc-js-health.js";

const { address, server } = await startBareGrpcJsServer();
process.stdout.write(`${JSON.stringify({ address })}\n`);
process.once("SIGTERM", () => server.tryShutdown(() => process.exit(0)));
