import type { Database } from "@orchestrator/db";
import type { Kysely } from "kysely";
import type { InstanceRecord } from "../instances/instance.js";
import { listPoolMembers } from "./pool.repository.js";
import type { PoolProvisioning } from "./pool-provisioning.service.js";
import type { PoolTemplate } from "./pool-template.js";
import type { PoolTemplateSource, PoolTemplates } from "./pool-templates.service.js";

/** One templated pool as ListPools shows it. */
export interface PoolView {
  readonly template: PoolTemplate;
  /** The boot file, or ApplyPools. */
  readonly source: PoolTemplateSource;
  /** `local`, ... */
  readonly provisioner: string;
  /** Every instance of the pool, reservations included, by name. */
  readonly members: readonly InstanceRecord[];
  /** Names this replica is provisioning now. */
  readonly provisioning: readonly string[];
}

/** ListPools: the pools that have a template, with their members and what this replica is provisioning. */
export class PoolDirectory {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly templates: PoolTemplates,
    private readonly provisioning: PoolProvisioning | undefined,
  ) {}

  async list(): Promise<PoolView[]> {
    return this.views(await this.templates.list());
  }

  /** The views of `templates` (those ApplyPools just stored, say). */
  async views(templates: ReadonlyArray<{ template: PoolTemplate; source: PoolTemplateSource }>): Promise<PoolView[]> {
    return Promise.all(
      templates.map(async ({ template, source }) => ({
        template,
        source,
        provisioner: this.provisioning?.provisioner.kind ?? template.provisioner,
        members: await listPoolMembers(this.db, template.name),
        provisioning: this.provisioning?.provisioningNames(template.name) ?? [],
      })),
    );
  }
}
