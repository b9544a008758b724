import type { Message } from "@orchestrator/contracts";
import { useState } from "react";
import { mailbox } from "../rpc/clients";
import { describeError } from "../rpc/describe-error";
import { useStream } from "../rpc/use-stream";
import { ErrorLine } from "../shared/error-line";
import { dateTimeOf } from "../shared/format";
import { StreamBadge } from "../shared/stream-badge";

/**
 * Escalations agents sent to the scheduler's handle (a failed run, a
 * question): the recent ones (Inbox), then each new one as it is committed
 * (Subscribe). A question also opened a gate above.
 */
export function Escalations({ handle, epoch }: { handle: string; epoch: number }) {
  const [messages, setMessages] = useState<Message[]>([]);
  const [error, setError] = useState<string>();
  const status = useStream(
    (signal) => mailbox.subscribe({ handle, types: ["escalation"] }, { signal }),
    (res) => res.message && setMessages((prev) => [res.message!, ...prev.filter((m) => m.id !== res.message!.id)].slice(0, 200)),
    [handle, epoch],
    () => {
      mailbox.inbox({ handle, limit: 500 }).then(
        (res) => (setMessages(res.messages.filter((m) => m.type === "escalation")), setError(undefined)),
        (err) => setError(describeError(err)),
      );
    },
  );
  return (
    <section>
      <h2>
        Escalations <span className="muted small">to {handle}</span> <StreamBadge status={status} />
      </h2>
      <ErrorLine message={error} />
      {messages.length === 0 && <p className="muted">No escalations.</p>}
      {messages.slice(0, 30).map((m) => (
        <article key={m.id} className="card escalation">
          <header className="gate-head">
            <span className={`pill priority-${m.priority}`}>{m.priority}</span> <b>{m.from}</b> <span className="muted">{dateTimeOf(m.createdAt)}</span>
          </header>
          <p className="question">{m.subject}</p>
          {m.body && <pre className="body">{m.body}</pre>}
        </article>
      ))}
    </section>
  );
}
