/**
 * A tool call's arguments broke a rule: each violation names the argument
 * and the reason. Answered as a tool error (`isError`), never a protocol
 * error, so the agent reads what to fix.
 */
export class ToolArgumentError extends Error {
  constructor(readonly violations: ReadonlyArray<{ readonly field: string; readonly reason: string }>) {
    super(violations.map((v) => `${v.field}: ${v.reason}`).join("; "));
    this.name = "ToolArgumentError";
  }
}
