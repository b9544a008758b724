/**
 * The runner's configuration cannot work (no command, a workdir that does
 * not exist, a flag that is no duration...). Raised at start, before any
 * network call; `field` names the setting, the message says what to fix.
 */
export class AgentConfigError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = "AgentConfigError";
  }
}
