/** Process configuration: parsed from the environment once, at boot. */
export { ConfigError, loadConfig, type OrchestratorConfig, type ProbeConfig } from "./load-config.js";
