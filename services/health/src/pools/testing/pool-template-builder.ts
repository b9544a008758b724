import type { PoolTemplate } from "../pool-template.js";

/** A pool template for tests: pool `kite`, max 4, a fake repo and command, no idle shutdown; override what a test is about. */
export function poolTemplate(overrides: Partial<PoolTemplate> = {}): PoolTemplate {
  return {
    name: "kite",
    provisioner: "local",
    repo: "https://example.invalid/kite.git",
    ref: undefined,
    command: ["agent-cli", "-p"],
    input: "arg",
    min: 0,
    max: 4,
    idleShutdownMs: 0,
    workdirRoot: "/nonexistent/pools",
    setup: "scripts/dev-setup.sh",
    labels: {},
    env: {},
    runTimeoutMs: undefined,
    provisionTimeoutMs: 10_000,
    ...overrides,
  };
}
