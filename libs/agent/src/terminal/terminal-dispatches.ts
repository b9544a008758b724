import type { Client } from "@connectrpc/connect";
import type { MailboxService, Message } from "@orchestrator/contracts";
import type { Logger } from "pino";
import { escalationAnswer } from "../answer-message.js";
import { createAgentMailbox } from "../create-agent-mailbox.js";
import { parseDispatchMessage } from "../parse-dispatch-message.js";
import { startDispatchIntake } from "../start-dispatch-intake.js";
import { DEFAULT_QUIET_MS, type TerminalSession } from "./terminal-session.js";

/** How long a dispatch waits for the agent's screen to go idle before it is typed anyway. */
const IDLE_WAIT_MS = 30 * 60_000;
/** How long a refusal may take to reach the scheduler. */
const ANSWER_GIVE_UP_MS = 60_000;

/** A running dispatch intake of a terminal. */
export interface TerminalDispatches {
  stop(): Promise<void>;
}

/**
 * What a terminal does with the `dispatch` messages sent to its handle
 * (`orchestrator dispatch --to term_… --inject`, or a run that picks it):
 *
 * - a terminal running a known agent CLI (claude, codex, gemini, opencode)
 *   types each message's text (the preamble and task, with `--inject`) into
 *   the agent as a paste, one at a time, once its screen is idle (push on
 *   idle); the agent answers `worker_done` or `escalation` itself, as the
 *   preamble teaches;
 * - any other terminal (a shell would run the text as commands) answers at
 *   once with an escalation carrying an error, a failed attempt, so the
 *   scheduler dispatches the task elsewhere; as does an agent terminal
 *   whose command has exited.
 */
export function startTerminalDispatches(o: { session: TerminalSession; client: Client<typeof MailboxService>; logger: Logger }): TerminalDispatches {
  const { session } = o;
  const handle = session.spec.name;
  const log = o.logger.child({ component: "terminal-dispatches" });
  const mailbox = createAgentMailbox({ client: o.client, handle, logger: log });
  const abort = new AbortController();
  const queue: Message[] = [];
  let pumping: Promise<void> | undefined;

  const refuse = async (message: Message, error: string) => {
    try {
      const d = parseDispatchMessage(message);
      await mailbox.send(escalationAnswer(handle, d, { error, subject: `task ${d.taskId} not taken: ${error}` }, ""), { giveUpAfterMs: ANSWER_GIVE_UP_MS });
      log.info({ task: d.taskId, error }, "dispatch refused");
    } catch (err) {
      log.warn({ err, message: message.id }, "could not refuse a dispatch");
    }
  };

  const pump = async () => {
    while (queue.length > 0 && !abort.signal.aborted) {
      const message = queue.shift()!;
      const waited = await session.wait("tui-idle", IDLE_WAIT_MS, DEFAULT_QUIET_MS, abort.signal);
      if (abort.signal.aborted) return;
      if (waited.outcome === "exit") {
        await refuse(message, `terminal ${handle}'s command has exited`);
        continue;
      }
      try {
        await session.paste(message.body || parseDispatchMessage(message).text);
        log.info({ message: message.id }, "dispatch typed into the terminal");
      } catch (err) {
        await refuse(message, `could not type the task into terminal ${handle}: ${(err as Error).message}`);
      }
    }
  };

  const kick = () => {
    if (pumping || abort.signal.aborted) return;
    pumping = pump().finally(() => {
      pumping = undefined;
      if (queue.length > 0) kick();
    });
  };

  const intake = startDispatchIntake({
    client: o.client,
    handle,
    logger: log,
    onDispatch(message) {
      if (!session.spec.agent) {
        refuse(message, `terminal ${handle} runs no agent CLI (${session.spec.command}): it takes no dispatches; send it text with orchestrator terminal send`).catch(() => undefined);
        return;
      }
      queue.push(message);
      kick();
    },
  });
  return {
    async stop() {
      abort.abort();
      await intake.stop();
      await pumping;
    },
  };
}
