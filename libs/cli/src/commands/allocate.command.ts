import { Command } from "commander";
import { HealthService } from "@orchestrator/contracts";
import { clientFor, globalsOf } from "../global-options.js";
import { printInstances } from "./instances.command.js";

/** `orchestrator allocate --pool P`: take the next idle healthy instance of a pool. */
export function allocateCommand(): Command {
  return new Command("allocate")
    .description("take the next idle healthy instance of a pool (marks it busy)")
    .requiredOption("-p, --pool <pool>", "pool to allocate from")
    .option("--holder <holder>", "who holds it (defaults to the caller)")
    .addHelpText("after", "\nExample:\n  $ orchestrator allocate --pool demo --holder build-42")
    .action(async (o: { pool: string; holder?: string }, command: Command) => {
      const res = await clientFor(HealthService, command).allocateInstance({ pool: o.pool, holder: o.holder ?? "" });
      printInstances([res.instance!], globalsOf(command).json);
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
