import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { type AgentFlags, parseAgentFlags } from "./parse-agent-flags.js";

const home = mkdtempSync(join(tmpdir(), "agent-flags-"));
mkdirSync(join(home, "kite"));
const env = { PATH: dirname(process.execPath), home };
const flags: AgentFlags = {
  name: "kite-1",
  pool: "kite",
  label: [],
  workdir: "~/kite",
  input: "arg",
  timeout: "30m",
  outputLines: "500",
  listen: "127.0.0.1:0",
  heartbeatInterval: "1s",
};
const parse = (overrides: Partial<AgentFlags>, command: string[] = ["node", "agent.js"]) => () => parseAgentFlags({ ...flags, ...overrides }, command, env);

describe("parseAgentFlags", () => {
  it("turns the defaults into settings, ~ expanded", () => {
    expect(parseAgentFlags(flags, ["node", "-e", "1"], env)).toEqual({
      name: "kite-1",
      pool: "kite",
      labels: {},
      workdir: join(home, "kite"),
      inputMode: "arg",
      timeoutMs: 1_800_000,
      outputLines: 500,
      host: "127.0.0.1",
      port: 0,
      heartbeatIntervalMs: 1000,
      command: ["node", "-e", "1"],
    });
  });

  it("reads labels, stdin input, a bare number as seconds and an IPv6 listen address", () => {
    const config = parseAgentFlags({ ...flags, label: ["zone=a", "model=x=y"], input: "stdin", timeout: "90", listen: "[::1]:7400", heartbeatInterval: "250ms" }, ["node"], env);
    expect(config).toMatchObject({ labels: { zone: "a", model: "x=y" }, inputMode: "stdin", timeoutMs: 90_000, host: "::1", port: 7400, heartbeatIntervalMs: 250 });
  });

  it("says to put the command after -- when there is none", () => {
    expect(parse({}, [])).toThrow("no agent command: put it after --, e.g. orchestrator agent --name kite-1 --pool kite --workdir ~/kite -- claude -p");
  });

  it("names a workdir that does not exist, or is a file", () => {
    expect(parse({ workdir: "~/nope" })).toThrow(`workdir ${join(home, "nope")} does not exist: create it (mkdir -p ${join(home, "nope")})`);
    writeFileSync(join(home, "file"), "");
    expect(parse({ workdir: join(home, "file") })).toThrow(/is not a directory/);
  });

  it("refuses bad names, pools, labels, input modes, durations, line counts and listen addresses", () => {
    expect(parse({ name: "kite 1" })).toThrow(`--name "kite 1" is not a valid instance name`);
    expect(parse({ name: "-kite" })).toThrow(/valid instance name/);
    expect(parse({ pool: "a/b" })).toThrow(/--pool "a\/b" is not a valid pool name/);
    expect(parse({ label: ["zone"] })).toThrow(`--label must be KEY=VALUE (e.g. --label zone=a), got "zone"`);
    expect(parse({ input: "file" })).toThrow(`--input must be arg (the task text as the command's last argument) or stdin, got "file"`);
    expect(parse({ timeout: "soon" })).toThrow(`--timeout: "soon" is not a duration; use e.g. 10 (seconds), 10s, 500ms, 2m`);
    expect(parse({ timeout: "0" })).toThrow(`--timeout must be longer than 0`);
    expect(parse({ heartbeatInterval: "-1s" })).toThrow(`--heartbeat-interval must be longer than 0`);
    expect(parse({ outputLines: "0" })).toThrow(`--output-lines must be a whole number from 1 to 100000, got "0"`);
    expect(parse({ outputLines: "12abc" })).toThrow(/--output-lines/);
    expect(parse({ listen: "localhost" })).toThrow(`--listen must be host:port (e.g. 127.0.0.1:0 for any free port, [::1]:7400), got "localhost"`);
    expect(parse({ listen: "127.0.0.1:70000" })).toThrow(/--listen/);
  });
});
