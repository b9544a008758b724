import type { Database } from "@orchestrator/db";
import type { Kysely } from "kysely";
import { announce } from "../events/scheduler-notice.js";
import { describeError } from "../shared/describe-error.js";
import { inTransaction } from "../shared/in-transaction.js";
import type { ServiceClients } from "../shared/service-clients.js";
import { UnavailableError } from "@orchestrator/errors";

/** What a reset deleted. */
export interface ResetCounts {
  tasks: number;
  dispatches: number;
  gates: number;
  runs: number;
  messages: number;
}

/**
 * Reset: scheduler state (gates, dispatch contexts, tasks and runs) in one
 * transaction, announced so every replica stops its drivers and aborts its
 * in-flight calls; messages through MailboxService/Purge.
 */
export class ResetService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clients: ServiceClients,
  ) {}

  async reset(what: { tasks: boolean; messages: boolean }): Promise<ResetCounts> {
    const counts: ResetCounts = { tasks: 0, dispatches: 0, gates: 0, runs: 0, messages: 0 };
    if (what.tasks) {
      await inTransaction(this.db, async (tx) => {
        // Runs first, locked: their drivers' steps (which lock the run row) finish before the rows go.
        await tx.selectFrom("runs").select("id").forUpdate().execute();
        counts.gates = Number((await tx.deleteFrom("decision_gates").executeTakeFirst()).numDeletedRows);
        counts.dispatches = Number((await tx.deleteFrom("dispatch_contexts").executeTakeFirst()).numDeletedRows);
        await tx.deleteFrom("task_deps").execute();
        counts.tasks = Number((await tx.deleteFrom("tasks").executeTakeFirst()).numDeletedRows);
        counts.runs = Number((await tx.deleteFrom("runs").executeTakeFirst()).numDeletedRows);
        await announce(tx, { k: "reset" });
      });
    }
    if (what.messages) {
      try {
        const res = await this.clients.mailbox().purge({ all: true }, { timeoutMs: 30_000 });
        counts.messages = Number(res.deleted);
      } catch (err) {
        throw new UnavailableError("mailbox_unavailable", `scheduler state was reset, but the mailbox could not purge messages: ${describeError(err)}`);
      }
    }
    return counts;
  }
}
