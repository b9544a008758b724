// Entry point of the `orchestrator` command (see bin/orchestrator.js).
import { runCli } from "./program.js";

await runCli(process.argv);
