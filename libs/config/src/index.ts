/** Process configuration: parsed from the environment once, at boot. */
export { ConfigError, loadConfig, type OrchestratorConfig, type ProbeConfig, type ReadinessConfig } from "./load-config.js";
export { defaultRouterConfig, routerConfigFrom, routerEnvShape, type OutlierConfig, type RouterConfig } from "./router-config.js";
export { defaultMailboxConfig, mailboxConfigFrom, mailboxEnvShape, type MailboxConfig, type RetentionConfig } from "./mailbox-config.js";
export { defaultSchedulerConfig, schedulerConfigFrom, schedulerEnvShape, type SchedulerConfig } from "./scheduler-config.js";
export { apiKeysFrom, clientAddress, loadClientConfig, type ClientConfig } from "./client-config.js";
