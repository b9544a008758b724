import { readFile } from "node:fs/promises";
import { parse } from "yaml";
import { z } from "zod";
import type { NewInstance } from "./instance.js";

const entrySchema = z
  .object({
    name: z.string(),
    address: z.string(),
    kind: z.enum(["service", "agent"]).default("service"),
    pool: z.string().default("default"),
    labels: z.record(z.string(), z.string()).default({}),
    probeMode: z.enum(["grpc", "heartbeat"]).default("grpc"),
  })
  .strict();
const fileSchema = z.object({ instances: z.array(entrySchema) }).strict();

/** The instances file could not be read or broke a rule; the message names the file and the entry. */
export class InstancesFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InstancesFileError";
  }
}

/**
 * Reads instances to register at start from a YAML or JSON file:
 *
 * ```yaml
 * instances:
 *   - name: A
 *     address: 127.0.0.1:7001
 *     pool: demo            # default "default"
 *     labels: { zone: a }
 *     kind: service         # or agent
 *     probeMode: grpc       # or heartbeat
 * ```
 * Names and addresses are checked by the registry when registered.
 */
export async function loadInstancesFile(path: string): Promise<NewInstance[]> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    throw new InstancesFileError(`cannot read instances file ${path}: ${(err as Error).message}`);
  }
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    throw new InstancesFileError(`instances file ${path} is not valid YAML/JSON: ${(err as Error).message}`);
  }
  const parsed = fileSchema.safeParse(doc);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`);
    throw new InstancesFileError(`instances file ${path}:\n  ${issues.join("\n  ")}`);
  }
  return parsed.data.instances;
}
