/** The `orchestrator` command line and the composition root that hosts services. */
export { buildProgram, runCli } from "./program.js";
export { startControlPlane, SERVICE_NAMES, type ControlPlane, type ServiceName } from "./control-plane/start-control-plane.js";
