import { toJson } from "@bufbuild/protobuf";
import { OutputLineSchema, type OutputLine } from "@orchestrator/contracts";

/**
 * Prints an agent's output lines as the terminal showed them (the runner's
 * own notes marked `[agent]`), or one proto-JSON object per line with
 * --json. A jump in `seq` (this reader fell behind and the runner dropped
 * lines for it) is said on stderr. Returns the last seq printed.
 */
export function printOutputLines(lines: readonly OutputLine[], json: boolean, lastSeq: bigint): bigint {
  let last = lastSeq;
  let out = "";
  for (const line of lines) {
    if (last > 0n && line.seq > last + 1n) process.stderr.write(`... ${line.seq - last - 1n} lines dropped (this reader fell behind) ...\n`);
    last = line.seq;
    out += json ? `${JSON.stringify(toJson(OutputLineSchema, line))}\n` : `${line.stream === "agent" ? "[agent] " : ""}${line.text}\n`;
  }
  process.stdout.write(out);
  return last;
}
