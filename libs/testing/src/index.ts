/** Helpers shared by every package's tests. */
export { fastProbe } from "./fast-probe.js";
export { testLogger } from "./test-logger.js";
export { waitFor } from "./wait-for.js";
export { freePort } from "./free-port.js";
export { FakeHealthRegistry, type FakeHealthName } from "./fake-health-registry.js";
