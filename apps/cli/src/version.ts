/** The CLI's version (`orchestrator --version`); equal to apps/cli/package.json's, which bin/orchestrator.js prints without loading the CLI. */
export const CLI_VERSION = "0.1.0";
