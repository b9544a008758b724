/** Agent runner: `orchestrator agent` runs coding agents' commands as orchestrator instances. */
export {};
