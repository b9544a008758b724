import type { Command } from "commander";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildProgram } from "./program.js";
import { COMMAND_TABLE } from "./command-table.js";
import { oneLineError } from "./output/one-line-error.js";

/** Every command and subcommand, with its full name (`task create`). */
function allCommands(command: Command, prefix: string[] = []): Array<[string, Command]> {
  return command.commands.flatMap((c) => {
    const path = [...prefix, c.name()];
    return [[path.join(" "), c] as [string, Command], ...allCommands(c, path)];
  });
}

/** The full help text of a command, as `--help` prints it. */
function helpOf(command: Command): string {
  let text = "";
  command.configureOutput({ writeOut: (s) => (text += s), writeErr: (s) => (text += s) });
  command.outputHelp();
  return text;
}

describe("the program", () => {
  const saved = process.env.ORCHESTRATOR_API_KEY;
  let program: Command;
  beforeAll(async () => {
    process.env.ORCHESTRATOR_API_KEY = "secret-123";
    program = await buildProgram();
  });
  afterAll(() => {
    if (saved === undefined) delete process.env.ORCHESTRATOR_API_KEY;
    else process.env.ORCHESTRATOR_API_KEY = saved;
  });

  it("lists every command of the table", () => {
    expect(program.commands.map((c) => c.name())).toEqual(COMMAND_TABLE.map((e) => e.name));
  });

  it("gives every command an example in its --help, and never shows the API key", () => {
    const commands = allCommands(program).filter(([name]) => name !== "help");
    expect(commands.length).toBeGreaterThan(40);
    const hasExample = (help: string) => /\nExamples?:\n/.test(help) && /^\s+\$ .*\borchestrator /m.test(help.slice(help.search(/\nExamples?:\n/)));
    const withoutExample = commands.filter(([, c]) => !hasExample(helpOf(c))).map(([name]) => name);
    expect(withoutExample).toEqual([]);
    for (const [, c] of commands) expect(helpOf(c)).not.toContain("secret-123");
    expect(helpOf(program)).not.toContain("secret-123");
  });
});

describe("oneLineError", () => {
  it("puts commander's suggestion on the error's line", () => {
    expect(oneLineError("error: unknown command 'fanot'\n(Did you mean fanout?)\n")).toBe("error: unknown command 'fanot' (did you mean fanout?); see orchestrator --help\n");
    expect(oneLineError("error: unknown option '--agregate'\n(Did you mean --aggregate?)\n")).toBe("error: unknown option '--agregate' (did you mean --aggregate?)\n");
  });
});
