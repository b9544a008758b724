import type { Database } from "@orchestrator/db";
import type { Kysely } from "kysely";
import type { InstanceRecord } from "../instances/instance.js";
import { listPoolMembers } from "./pool.repository.js";
import type { PoolProvisioning } from "./pool-provisioning.service.js";
import type { PoolTemplate } from "./pool-template.js";

/** One templated pool as ListPools shows it. */
export interface PoolView {
  readonly template: PoolTemplate;
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
    private readonly templates: readonly PoolTemplate[],
    private readonly provisioning: PoolProvisioning | undefined,
  ) {}

  async list(): Promise<PoolView[]> {
    return Promise.all(
      this.templates.map(async (template) => ({
        template,
        provisioner: this.provisioning?.provisioner.kind ?? template.provisioner,
        members: await listPoolMembers(this.db, template.name),
        provisioning: this.provisioning?.provisioningNames(template.name) ?? [],
      })),
    );
  }
}
