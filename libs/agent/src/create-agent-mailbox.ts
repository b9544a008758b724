import { Code, ConnectError, type Client } from "@connectrpc/connect";
import type { MailboxService } from "@orchestrator/contracts";
import { fieldViolations } from "@orchestrator/rpc";
import { setTimeout as sleep } from "node:timers/promises";
import type { Logger } from "pino";
import type { AgentMailbox } from "./agent-mailbox.js";
import { type AnswerMessage, compactAnswer } from "./answer-message.js";

/** Message types a run's input shows as banners: every type but `dispatch` (those are the runs). */
export const BANNER_TYPES: readonly string[] = ["status", "worker_done", "merge_ready", "escalation", "handoff", "decision_gate"];
/** Most messages put into one run's input. */
const MAX_BANNERS = 50;
/** Deadline of one Send attempt. */
const ATTEMPT_TIMEOUT_MS = 10_000;
const RETRYABLE = new Set([Code.Unavailable, Code.DeadlineExceeded, Code.ResourceExhausted, Code.Aborted, Code.Internal, Code.Unknown]);

/**
 * The AgentMailbox over MailboxService. takeMessages is a Check without
 * wait (unread, every type but dispatch, marked read). send retries
 * transient failures (UNAVAILABLE, DEADLINE_EXCEEDED, ...) with backoff;
 * when the mailbox refuses the answer's body or payload size it sends the
 * compacted answer once instead.
 */
export function createAgentMailbox(o: { client: Client<typeof MailboxService>; handle: string; logger: Logger }): AgentMailbox {
  return {
    async takeMessages() {
      const res = await o.client.check({ handle: o.handle, unreadOnly: true, types: [...BANNER_TYPES], markRead: true, wait: false, limit: MAX_BANNERS });
      return res.messages;
    },
    async send(answer, { giveUpAfterMs }) {
      const giveUpAt = Date.now() + giveUpAfterMs;
      let delay = 200;
      let message: AnswerMessage = answer;
      for (;;) {
        try {
          await o.client.send({ ...message }, { timeoutMs: Math.max(1000, Math.min(ATTEMPT_TIMEOUT_MS, giveUpAt - Date.now())) });
          return;
        } catch (error) {
          const e = ConnectError.from(error);
          const tooBig = e.code === Code.InvalidArgument && fieldViolations(e).some((v) => v.field === "payload" || v.field === "body");
          if (tooBig && message === answer) {
            o.logger.warn({ err: e.rawMessage }, "answer refused as too large; sending it compacted");
            message = compactAnswer(answer);
            continue;
          }
          if (!RETRYABLE.has(e.code) || Date.now() + delay > giveUpAt) throw e;
          o.logger.warn({ code: Code[e.code], err: e.rawMessage, retryInMs: delay }, "could not send the answer; retrying");
          await sleep(delay * (0.5 + Math.random()));
          delay = Math.min(delay * 2, 5000);
        }
      }
    },
  };
}
