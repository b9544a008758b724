import { ConfigError } from "@orchestrator/config";
import { isValidInstanceName } from "@orchestrator/selector";
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, isAbsolute, resolve } from "node:path";
import { parse } from "yaml";
import { z } from "zod";
import { parseDuration } from "./parse-duration.js";
import type { PoolTemplate } from "./pool-template.js";
import { isGitRepository, isRemoteRepo } from "./repo-source.js";

/** @default 10 minutes */
const DEFAULT_PROVISION_TIMEOUT_MS = 600_000;
const LABEL_KEY = /^[A-Za-z0-9]([A-Za-z0-9_./-]*[A-Za-z0-9])?$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `is required: <what>` when absent, `must be <type>: <what>` when of the wrong type. */
const described = (type: string, what: string) => (issue: { input: unknown }) =>
  issue.input === undefined ? `is required: ${what}` : `must be ${type}: ${what}`;

const duration = (what: string) =>
  z.union([z.number(), z.string()], { error: `must be a duration like 30s, 10m or 1h: ${what}` }).transform((value, ctx) => {
    const ms = parseDuration(value);
    if (ms === undefined) {
      ctx.addIssue({ code: "custom", message: `must be a duration like 30s, 10m or 1h (or 0), not ${JSON.stringify(value)}: ${what}` });
      return z.NEVER;
    }
    return ms;
  });

const count = (what: string) => z.number({ error: `must be a whole number ≥ 0: ${what}` }).int(`must be a whole number: ${what}`).min(0, `must be ≥ 0: ${what}`);

const templateShape = {
  provisioner: z.literal("local", { error: "must be local (agent processes on the health service's machine); the only provisioner so far" }).optional(),
  repo: z.string({ error: described("a string", "a git URL or a path to clone each agent's working copy from") }).min(1, "is required: a git URL or a path to clone each agent's working copy from"),
  ref: z.string({ error: "must be a string: the branch or tag to clone" }).min(1, "must not be empty: the branch or tag to clone").optional(),
  command: z
    .array(z.string({ error: "must be a string" }).min(1, "must not be empty"), { error: described("a list", "the agent command and its arguments, e.g. [claude, -p]") })
    .min(1, "must not be empty: the agent command and its arguments, e.g. [claude, -p]"),
  input: z.enum(["arg", "stdin"], { error: "must be arg or stdin: how the agent gets the task text" }).optional(),
  min: count("instances always kept running").optional(),
  max: count("the most instances of the pool").min(1, "must be ≥ 1: the most instances of the pool").optional(),
  idleShutdown: duration("how long an idle instance runs before it is stopped (0: never)").optional(),
  workdirRoot: z.string({ error: "must be a path: where working copies are made" }).min(1, "must not be empty: where working copies are made").optional(),
  setup: z.string({ error: "must be a path relative to the working copy: the setup script" }).min(1, "must not be empty").optional(),
  labels: z.record(z.string(), z.string({ error: "must be a string" }), { error: "must be a mapping of label names to strings" }).optional(),
  env: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()], { error: "must be a string" }).transform(String), { error: "must be a mapping of variable names to strings" }).optional(),
  runTimeout: duration("the deadline of one agent run").optional(),
  provisionTimeout: duration("how long clone, setup and start may take").optional(),
};
const unknownKeys = (allowed: readonly string[]) => (issue: { code?: string; keys?: readonly string[] }) =>
  issue.code === "unrecognized_keys" ? `has unknown key${issue.keys!.length > 1 ? "s" : ""} ${issue.keys!.map((k) => `"${k}"`).join(", ")}; allowed: ${allowed.join(", ")}` : undefined;
const templateSchema = z.strictObject(templateShape, { error: (issue) => unknownKeys(Object.keys(templateShape))(issue) ?? "must be a mapping: the pool template" });
const fileSchema = z.strictObject(
  { pools: z.record(z.string(), templateSchema, { error: described("a mapping", "pool names to their templates") }) },
  { error: (issue) => unknownKeys(["pools"])(issue) ?? "must be a mapping with a `pools:` key" },
);

/** Where relative paths resolve and where working copies go by default. */
export interface LoadPoolsFileOptions {
  /** ORCHESTRATOR_DATA_DIR; working copies default to `<dataDir>/pools`. @default ".orchestrator" */
  readonly dataDir?: string;
}

/**
 * Reads pool templates from a YAML or JSON file (ORCHESTRATOR_POOLS_FILE),
 * once, at start:
 *
 * ```yaml
 * pools:
 *   kite:
 *     repo: https://github.com/acme/kite.git   # or a path (git repository or plain directory); required
 *     ref: main                                # optional branch or tag (git only)
 *     command: [claude, -p]                    # required
 *     input: arg                               # arg | stdin
 *     min: 0                                   # default 0
 *     max: 4                                   # default 1; ≥ 1, ≥ min
 *     idleShutdown: 10m                        # default 0: never
 *     workdirRoot: ./.orchestrator/pools       # default <data dir>/pools
 *     setup: scripts/dev-setup.sh              # default; run when present
 *     labels: {agent: claude}
 *     env: {ANTHROPIC_MODEL: ...}
 *     runTimeout: 30m                          # 0 or absent: the agent's default
 *     provisionTimeout: 10m                    # 0 or absent: 10m
 * ```
 *
 * Relative paths (`repo`, `workdirRoot`) resolve from the file's directory.
 * Every broken rule is reported at once as a ConfigError naming the file,
 * the key path and what to put there, so a bad file stops the process at
 * start rather than at the first provision.
 */
export function loadPoolsFile(path: string, options: LoadPoolsFileOptions = {}): PoolTemplate[] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw new ConfigError(`ORCHESTRATOR_POOLS_FILE: cannot read pools file ${path}: ${(err as Error).message}`);
  }
  return parsePoolsDocument(text, { ...options, source: `pools file ${path}`, baseDir: dirname(resolve(path)) });
}

/** A pools document that breaks rules; `problems` lists each (`pools.kite.repo is required: ...`). */
export class PoolsDocumentError extends ConfigError {
  constructor(
    source: string,
    readonly problems: readonly string[],
  ) {
    super(`${source}:\n  ${problems.join("\n  ")}`);
    this.name = "PoolsDocumentError";
  }
}

/** Where a pools document comes from, for its messages and relative paths. */
export interface ParsePoolsDocumentOptions extends LoadPoolsFileOptions {
  /** Names the document in errors: `pools file ./pools.yaml`. */
  readonly source: string;
  /** Absolute directory relative `repo` and `workdirRoot` resolve from. */
  readonly baseDir: string;
}

/**
 * Parses a pools document (the YAML/JSON of ORCHESTRATOR_POOLS_FILE, or one
 * sent with ApplyPools) into templates, checking every rule of
 * loadPoolsFile. Throws PoolsDocumentError listing every broken rule.
 */
export function parsePoolsDocument(text: string, options: ParsePoolsDocumentOptions): PoolTemplate[] {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    throw new PoolsDocumentError(options.source, [`the document is not valid YAML/JSON: ${(err as Error).message}`]);
  }
  const parsed = fileSchema.safeParse(doc ?? {});
  if (!parsed.success) {
    throw new PoolsDocumentError(
      options.source,
      parsed.error.issues.map((i) => `${i.path.length === 0 ? "(root)" : i.path.map(String).join(".")} ${i.message}`),
    );
  }
  const base = options.baseDir;
  const problems: string[] = [];
  const templates = Object.entries(parsed.data.pools).map(([name, t]): PoolTemplate => {
    const at = `pools.${name}`;
    if (!isValidInstanceName(`${name}-1`)) {
      problems.push(`${at}: "${name}" is not a valid pool name: 1-60 letters, digits, '.', '_' or '-', starting and ending with a letter or digit (its instances are ${name}-1, ${name}-2, ...)`);
    }
    const min = t.min ?? 0;
    const max = t.max ?? Math.max(1, min);
    if (min > max) problems.push(`${at}.min (${min}) must not exceed ${at}.max (${max})`);
    const repo = isRemoteRepo(t.repo) ? t.repo : resolve(base, t.repo);
    if (!isRemoteRepo(t.repo)) {
      if (!existsSync(repo)) {
        problems.push(`${at}.repo: ${repo} does not exist; give a git URL or an existing path (relative paths start at the pools file's directory)`);
      } else if (!statSync(repo).isDirectory()) {
        problems.push(`${at}.repo: ${repo} is not a directory; give a git URL or a directory to clone or copy`);
      } else if (t.ref && !isGitRepository(repo)) {
        problems.push(`${at}.ref needs a git repository, but ${repo} is a plain directory (copied as is); remove ref or point repo at a git repository`);
      }
    }
    for (const key of Object.keys(t.labels ?? {})) {
      if (!LABEL_KEY.test(key) || key.length > 63) problems.push(`${at}.labels: "${key}" is not a valid label name: 1-63 letters, digits, '_', '.', '/' or '-'`);
    }
    for (const key of Object.keys(t.env ?? {})) {
      if (!ENV_NAME.test(key)) problems.push(`${at}.env: "${key}" is not a valid environment variable name`);
    }
    if (t.setup !== undefined && isAbsolute(t.setup)) problems.push(`${at}.setup must be relative to the working copy, e.g. scripts/dev-setup.sh`);
    return Object.freeze({
      name,
      provisioner: "local",
      repo,
      ref: t.ref,
      command: Object.freeze([...t.command]),
      input: t.input ?? "arg",
      min,
      max,
      idleShutdownMs: t.idleShutdown ?? 0,
      workdirRoot: t.workdirRoot ? resolve(base, t.workdirRoot) : resolve(options.dataDir ?? ".orchestrator", "pools"),
      setup: t.setup ?? "scripts/dev-setup.sh",
      labels: Object.freeze({ ...t.labels }),
      env: Object.freeze({ ...t.env }),
      runTimeoutMs: t.runTimeout || undefined,
      provisionTimeoutMs: t.provisionTimeout || DEFAULT_PROVISION_TIMEOUT_MS,
    });
  });
  if (problems.length > 0) throw new PoolsDocumentError(options.source, problems);
  return templates;
}
