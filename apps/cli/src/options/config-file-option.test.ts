import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Command } from "commander";
import { describe, expect, it } from "vitest";
import { parseRetryOption } from "../router/parse-retry-option.js";
import { addConfigOption, applyConfigFile } from "./config-file-option.js";

const dir = mkdtempSync(join(tmpdir(), "orch-config-"));
function file(name: string, text: string): string {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
}

/** A route-like command; resolves the options its action saw. */
async function run(args: string[]): Promise<Record<string, unknown>> {
  let seen: Record<string, unknown> = {};
  const command = addConfigOption(
    new Command("route")
      .exitOverride()
      .option("-i, --instances <selectors...>", "instances")
      .option("-p, --payload <json>", "payload", "null")
      .option("--timeout <duration>", "timeout")
      .option("-r, --retry <n>", "retries", (v) => parseRetryOption(v))
      .option("--no-fallback", "fail fast"),
  ).action((_o, cmd: Command) => {
    applyConfigFile(cmd, { jsonKeys: ["payload"], aliases: { targets: "instances" } });
    seen = cmd.opts();
  });
  await command.parseAsync(args, { from: "user" });
  return seen;
}

describe("--config FILE", () => {
  it("fills options from the seed's JSON ({instances, timeout}), typed as on the command line", async () => {
    const config = file("a.json", JSON.stringify({ instances: ["A"], timeout: 5, payload: { data: "task" }, retry: 2, fallback: false }));
    expect(await run(["--config", config])).toMatchObject({ instances: ["A"], timeout: "5", payload: '{"data":"task"}', retry: 3, fallback: false });
  });

  it("lets flags given on the command line win", async () => {
    const config = file("b.json", JSON.stringify({ targets: ["A", "B"], timeout: 5 }));
    expect(await run(["--config", config, "--timeout", "10s"])).toMatchObject({ instances: ["A", "B"], timeout: "10s" });
  });

  it("names the file and the key it cannot use", async () => {
    await expect(run(["--config", file("c.json", '{"instance": ["A"]}')])).rejects.toThrow(`--config ${join(dir, "c.json")}: unknown key "instance"; this command takes instances, payload, timeout, retry, no-fallback`);
    await expect(run(["--config", file("d.json", "[1]")])).rejects.toThrow("must be a JSON object of option values");
    await expect(run(["--config", file("e.json", "{")])).rejects.toThrow("not valid JSON");
    await expect(run(["--config", join(dir, "missing.json")])).rejects.toThrow("--config: cannot read");
  });
});
