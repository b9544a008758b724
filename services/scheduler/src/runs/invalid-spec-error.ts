import { DomainError } from "@orchestrator/errors";

/**
 * A run spec that does not parse or is no valid task graph.
 * INVALID_ARGUMENT, reason `invalid_spec`, field `spec`; the message names
 * the line when it is known (`spec: line 4: tasks[1].deps[0]: unknown task "x"`).
 */
export class InvalidSpecError extends DomainError {
  constructor(
    readonly problem: string,
    readonly line?: number,
  ) {
    const where = line !== undefined ? `line ${line}: ` : "";
    super("invalid_argument", "invalid_spec", `spec: ${where}${problem}`, line !== undefined ? { line: String(line) } : {}, [
      { field: "spec", description: `${where}${problem}` },
    ]);
  }
}
