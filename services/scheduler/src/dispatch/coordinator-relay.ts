import type { Message } from "@orchestrator/contracts";
import type { Logger } from "pino";
import { describeError } from "../shared/describe-error.js";
import type { ServiceClients } from "../shared/service-clients.js";

const ATTEMPTS = 5;

/** What an escalation was about, added to the copy's payload. */
export interface EscalationContext {
  readonly taskId: string;
  readonly dispatchId: string;
  readonly runId: string;
  /** The gate it opened (absent for a reported failure, which is a failed attempt). */
  readonly gateId?: string;
}

/**
 * Copies agents' escalations to the coordinator of their run (the run's
 * `from`): the same type, priority, subject and body, from the agent (so a
 * reply reaches it), in the dispatch's thread, the payload extended with
 * `task`, `dispatch`, `run` and `gate`. Sent after the report's transaction
 * commits, by the one replica that processed it; retried with backoff while
 * the mailbox is unreachable.
 */
export class CoordinatorRelay {
  private readonly sending = new Set<Promise<void>>();

  constructor(
    private readonly clients: ServiceClients,
    private readonly logger: Logger,
  ) {}

  /** Copies `escalation` to `coordinator` in the background. */
  relay(escalation: Message, coordinator: string, about: EscalationContext): void {
    const p = this.send(escalation, coordinator, about).finally(() => this.sending.delete(p));
    this.sending.add(p);
  }

  /** Waits for copies in progress. */
  async idle(): Promise<void> {
    await Promise.all([...this.sending]);
  }

  private async send(m: Message, coordinator: string, about: EscalationContext): Promise<void> {
    const payload = JSON.stringify({
      ...parseObject(m.payload),
      task: about.taskId,
      dispatch: about.dispatchId,
      run: about.runId,
      ...(about.gateId ? { gate: about.gateId } : {}),
      escalation: m.id,
    });
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
      try {
        await this.clients.mailbox().send(
          { to: coordinator, from: m.from, type: m.type, priority: m.priority, subject: m.subject, body: m.body, threadId: m.threadId || about.dispatchId, payload },
          { timeoutMs: 10_000 },
        );
        return;
      } catch (err) {
        this.logger.warn({ escalation: m.id, coordinator, attempt, error: describeError(err) }, "escalation not copied to the run's coordinator yet");
        if (attempt < ATTEMPTS) await new Promise((r) => setTimeout(r, 200 * 2 ** attempt));
      }
    }
  }
}

function parseObject(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text || "{}");
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
