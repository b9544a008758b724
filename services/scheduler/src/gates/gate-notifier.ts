import type { Database } from "@orchestrator/db";
import type { Kysely } from "kysely";
import type { Logger } from "pino";
import { describeError } from "../shared/describe-error.js";
import type { ServiceClients } from "../shared/service-clients.js";
import { setGateMessage } from "./gate.repository.js";
import type { GateRecord } from "./gate.js";

const ATTEMPTS = 5;

/**
 * Posts a `decision_gate` message (priority high, thread = gate id) for a
 * new gate to its handle, through MailboxService/Send, and records the
 * message id on the gate. Sent after the gate commits; retried with backoff
 * when the mailbox is unreachable (the gate exists meanwhile: ListGates
 * shows it).
 */
export class GateNotifier {
  private readonly sending = new Set<Promise<void>>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly clients: ServiceClients,
    private readonly from: string,
    private readonly logger: Logger,
  ) {}

  notify(gate: GateRecord, taskSpec: string): void {
    const p = this.send(gate, taskSpec).finally(() => this.sending.delete(p));
    this.sending.add(p);
  }

  /** Waits for notifications in progress. */
  async idle(): Promise<void> {
    await Promise.all([...this.sending]);
  }

  private async send(gate: GateRecord, taskSpec: string): Promise<void> {
    const options = gate.options.length > 0 ? gate.options : ["<your decision>"];
    const body = [
      `Task ${gate.taskId} is blocked until you decide:`,
      "",
      gate.question,
      "",
      gate.options.length > 0 ? `Options: ${gate.options.join(", ")}` : "Answer in your own words.",
      ...(gate.defaultOption ? [`Default: ${gate.defaultOption}${gate.deadlineAt ? ` (applied at ${gate.deadlineAt.toISOString()})` : ""}`] : []),
      ...(gate.deadlineAt && !gate.defaultOption ? [`Deadline: ${gate.deadlineAt.toISOString()} (the task fails if nobody decides)`] : []),
      "",
      `Task: ${taskSpec.split("\n")[0]}`,
      "",
      `Resolve with: orchestrator gate resolve --id ${gate.id} --resolution "${options[0]}"`,
    ].join("\n");
    const payload = JSON.stringify({
      gate: gate.id,
      task: gate.taskId,
      question: gate.question,
      options: gate.options,
      default: gate.defaultOption,
      deadline: gate.deadlineAt?.toISOString() ?? null,
    });
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
      try {
        const res = await this.clients.mailbox().send(
          {
            to: gate.notify,
            from: this.from,
            type: "decision_gate",
            priority: "high",
            subject: `decision needed: ${gate.question.split("\n")[0]}`.slice(0, 512),
            body,
            threadId: gate.id,
            payload,
          },
          { timeoutMs: 10_000 },
        );
        await setGateMessage(this.db, gate.id, res.messages[0]?.id ?? "");
        return;
      } catch (err) {
        this.logger.warn({ gate: gate.id, attempt, error: describeError(err) }, "decision_gate message not sent yet");
        await new Promise((r) => setTimeout(r, 200 * 2 ** attempt));
      }
    }
  }
}
