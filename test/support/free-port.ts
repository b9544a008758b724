/** Re-exported for the tests under test/: the helper lives in @orchestrator/testing. */
export { freePort } from "@orchestrator/testing";
