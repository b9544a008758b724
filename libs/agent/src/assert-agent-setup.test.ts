import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { AgentConfigError } from "./agent-config-error.js";
import { assertAgentSetup } from "./assert-agent-setup.js";

const dir = mkdtempSync(join(tmpdir(), "agent-setup-"));
const PATH = dirname(process.execPath);

function failure(fn: () => unknown): AgentConfigError {
  try {
    fn();
  } catch (error) {
    if (error instanceof AgentConfigError) return error;
    throw error;
  }
  throw new Error("expected an AgentConfigError");
}

describe("assertAgentSetup", () => {
  it("answers the absolute workdir of a runnable setup", () => {
    expect(assertAgentSetup({ command: ["node", "-e", "1"], workdir: dir, path: PATH })).toBe(dir);
  });

  it("refuses a missing command, saying to put it after --", () => {
    const e = failure(() => assertAgentSetup({ command: [], workdir: dir, path: PATH }));
    expect(e.field).toBe("command");
    expect(e.message).toBe("no agent command: put it after --, e.g. orchestrator agent --name kite-1 --pool kite --workdir ~/kite -- claude -p");
  });

  it("refuses a workdir that does not exist or is a file, naming the path", () => {
    const missing = join(dir, "nope");
    expect(failure(() => assertAgentSetup({ command: ["node"], workdir: missing, path: PATH })).message).toBe(
      `workdir ${missing} does not exist: create it (mkdir -p ${missing}) or pass the agent's working copy with --workdir`,
    );
    const file = join(dir, "file.txt");
    writeFileSync(file, "x");
    expect(failure(() => assertAgentSetup({ command: ["node"], workdir: file, path: PATH })).message).toMatch(/is not a directory/);
  });

  it("refuses a command that is not on PATH, or a path that is no executable", () => {
    expect(failure(() => assertAgentSetup({ command: ["no-such-agent-cli"], workdir: dir, path: PATH })).message).toBe(
      'agent command "no-such-agent-cli" was not found on PATH: install it, or give its full path after --',
    );
    writeFileSync(join(dir, "script.sh"), "#!/bin/sh\n");
    expect(failure(() => assertAgentSetup({ command: ["./script.sh"], workdir: dir, path: "" })).message).toMatch(/is not an executable file/);
    chmodSync(join(dir, "script.sh"), 0o755);
    expect(assertAgentSetup({ command: ["./script.sh"], workdir: dir, path: "" })).toBe(dir);
  });
});
