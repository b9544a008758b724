import type { Database } from "@orchestrator/db";
import { DomainError } from "@orchestrator/errors";
import { sql, type Kysely } from "kysely";
import { parsePoolsDocument, PoolsDocumentError } from "./load-pools-file.js";
import type { PoolTemplate } from "./pool-template.js";

/** Where a template comes from: the boot file, or ApplyPools (the database). */
export type PoolTemplateSource = "file" | "applied";

/** A template and where it comes from. */
export interface SourcedTemplate {
  readonly template: PoolTemplate;
  readonly source: PoolTemplateSource;
}

/**
 * The pool templates in force: those of the boot file
 * (ORCHESTRATOR_POOLS_FILE) and those applied at run time (ApplyPools,
 * table `pool_templates`), an applied one winning over the file's of the
 * same name. Applied templates are read from the database at each use, so
 * every replica sees a change at once.
 */
export class PoolTemplates {
  private readonly fileTemplates: ReadonlyMap<string, PoolTemplate>;

  constructor(
    private readonly db: Kysely<Database>,
    fileTemplates: readonly PoolTemplate[],
    private readonly dataDir: string | undefined,
  ) {
    this.fileTemplates = new Map(fileTemplates.map((t) => [t.name, t]));
  }

  /** The templates of the boot file (known without a query). */
  get fromFile(): readonly PoolTemplate[] {
    return [...this.fileTemplates.values()];
  }

  async get(name: string): Promise<SourcedTemplate | undefined> {
    const row = await this.db.selectFrom("pool_templates").select("template").where("name", "=", name).executeTakeFirst();
    if (row) return { template: fromJson(row.template), source: "applied" };
    const template = this.fileTemplates.get(name);
    return template && { template, source: "file" };
  }

  /** Every template in force, by name. */
  async list(): Promise<SourcedTemplate[]> {
    const rows = await this.db.selectFrom("pool_templates").select("template").execute();
    const byName = new Map<string, SourcedTemplate>([...this.fileTemplates.values()].map((t) => [t.name, { template: t, source: "file" as const }]));
    for (const row of rows) {
      const template = fromJson(row.template);
      byName.set(template.name, { template, source: "applied" });
    }
    return [...byName.values()].sort((a, b) => a.template.name.localeCompare(b.template.name));
  }

  /**
   * ApplyPools: parses a pools document (every rule of the boot file; paths
   * relative to `baseDir`) and stores each of its pools, creating or
   * replacing, in one transaction. A document that breaks a rule is
   * INVALID_ARGUMENT with one field violation per problem (field
   * `document`), and nothing is stored.
   */
  async apply(document: string, baseDir: string): Promise<PoolTemplate[]> {
    let templates: PoolTemplate[];
    try {
      templates = parsePoolsDocument(document, { source: "pools document", baseDir, ...(this.dataDir ? { dataDir: this.dataDir } : {}) });
    } catch (error) {
      if (!(error instanceof PoolsDocumentError)) throw error;
      throw new DomainError("invalid_argument", "invalid_pools", `document: ${error.problems.join("; ")}`, { field: "document" }, error.problems.map((p) => ({ field: "document", description: p })));
    }
    if (templates.length === 0) {
      throw new DomainError("invalid_argument", "invalid_pools", "document: defines no pool; e.g. pools: {kite: {repo: ..., command: [claude, -p]}}", { field: "document" }, [
        { field: "document", description: "defines no pool; e.g. pools: {kite: {repo: ..., command: [claude, -p]}}" },
      ]);
    }
    await this.db.transaction().execute(async (tx) => {
      for (const t of templates) {
        await tx
          .insertInto("pool_templates")
          .values({ name: t.name, template: JSON.stringify(t) })
          .onConflict((oc) => oc.column("name").doUpdateSet({ template: JSON.stringify(t), applied_at: sql<Date>`now()` }))
          .execute();
      }
    });
    return templates;
  }
}

/** A stored template back to a frozen PoolTemplate (`ref`, `runTimeoutMs` absent when unset). */
function fromJson(json: Record<string, unknown>): PoolTemplate {
  const t = json as unknown as PoolTemplate;
  return Object.freeze({
    ...t,
    ref: t.ref ?? undefined,
    runTimeoutMs: t.runTimeoutMs ?? undefined,
    command: Object.freeze([...t.command]),
    labels: Object.freeze({ ...t.labels }),
    env: Object.freeze({ ...t.env }),
  });
}
