import { Command } from "commander";
import { toJson } from "@bufbuild/protobuf";
import { HealthService, InstanceSchema } from "@orchestrator/contracts";
import { clientFor, globalsOf } from "../global-options.js";
import { durationInit, parseDurationOption } from "../router/parse-duration-option.js";
import { printJson } from "../output/print.js";
import { printInstances } from "./instances.command.js";

/** Time the call's deadline leaves the server past `--timeout`, so the answer is the server's (RESOURCE_EXHAUSTED, provision_failed). */
const CALL_GRACE_MS = 15_000;

interface AllocateOptions {
  pool: string;
  holder?: string;
  wait?: boolean;
  timeout?: string;
  provision: boolean;
}

/**
 * `orchestrator allocate --pool P [--wait] [--timeout 5m] [--no-provision]`:
 * take the next idle healthy instance of a pool; a pool with a template
 * provisions `P-N+1` when none is idle (printed as "provisioned"). The call
 * has no deadline of its own unless `--timeout` (plus a grace) or the global
 * `--timeout-ms` is given: the server bounds waits and provisions.
 */
export function allocateCommand(): Command {
  return new Command("allocate")
    .description("take the next idle healthy instance of a pool (marks it busy); a pool with a template provisions one when none is idle")
    .requiredOption("-p, --pool <pool>", "pool to allocate from")
    .option("--holder <holder>", "who holds it (defaults to the caller)")
    .option("--wait", "when the pool is at its maximum (or has no template), wait for an instance to become free")
    .option("--timeout <duration>", "how long to wait for a free instance (default 2m) or a provisioned one (default: the pool's provisionTimeout)")
    .option("--no-provision", "never provision, even when the pool has room to grow")
    .addHelpText(
      "after",
      `
Examples:
  $ orchestrator allocate --pool demo --holder build-42
  $ orchestrator allocate --pool kite --wait --timeout 5m      # waits when kite is at its maximum
  $ orchestrator allocate --pool kite --no-provision --json    # only an idle one, never a new one`,
    )
    .action(async (o: AllocateOptions, command: Command) => {
      const g = globalsOf(command);
      const timeoutMs = o.timeout === undefined ? undefined : parseDurationOption(o.timeout, "--timeout");
      const callTimeoutMs = command.getOptionValueSourceWithGlobals("timeoutMs") === "cli" ? g.timeoutMs : timeoutMs === undefined ? 0 : timeoutMs + CALL_GRACE_MS;
      const res = await clientFor(HealthService, command).allocateInstance(
        {
          pool: o.pool,
          holder: o.holder ?? "",
          wait: o.wait ?? false,
          noProvision: !o.provision,
          ...(timeoutMs === undefined ? {} : { timeout: durationInit(timeoutMs) }),
        },
        { timeoutMs: callTimeoutMs },
      );
      const instance = res.instance!;
      if (g.json) {
        printJson([{ ...(toJson(InstanceSchema, instance) as object), provisioned: res.provisioned }]);
        return;
      }
      if (res.provisioned) process.stdout.write(`provisioned ${instance.name} for pool ${o.pool}\n`);
      printInstances([instance], false);
    });
}

/** `orchestrator release NAME`: give an allocated instance back to its pool. */
export function releaseCommand(): Command {
  return new Command("release")
    .description("return an allocated instance to its pool (idle again)")
    .argument("<name>", "instance name")
    .option("--holder <holder>", "only release if this holder has it")
    .addHelpText("after", "\nExample:\n  $ orchestrator release A --holder build-42")
    .action(async (name: string, o: { holder?: string }, command: Command) => {
      const res = await clientFor(HealthService, command).releaseInstance({ name, holder: o.holder ?? "" });
      printInstances([res.instance!], globalsOf(command).json);
    });
}
