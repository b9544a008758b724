import type { Message } from "@orchestrator/contracts";
import { useMemo, useState } from "react";
import { mailbox } from "../rpc/clients";
import { describeError } from "../rpc/describe-error";
import { useStream } from "../rpc/use-stream";
import { ErrorLine } from "../shared/error-line";
import { dateTimeOf, msOf } from "../shared/format";
import { StreamBadge } from "../shared/stream-badge";
import { SendForm } from "./send-form";

/**
 * A handle's mailbox: recent messages (Inbox), then new ones as they
 * commit (Subscribe), grouped into threads; a thread opens with a reply
 * box (Reply). Reading here marks nothing read.
 */
export function MailboxPanel({ handle, setHandle, epoch }: { handle: string; setHandle: (h: string) => void; epoch: number }) {
  const [draft, setDraft] = useState(handle);
  const [messages, setMessages] = useState<Message[]>([]);
  const [unread, setUnread] = useState(0);
  const [error, setError] = useState<string>();
  const [open, setOpen] = useState<string>();
  const status = useStream(
    (signal) => mailbox.subscribe({ handle }, { signal }),
    (res) => {
      if (!res.message) return;
      setMessages((prev) => [res.message!, ...prev.filter((m) => m.id !== res.message!.id)]);
      setUnread((n) => n + 1);
    },
    [handle, epoch],
    () => {
      mailbox.inbox({ handle, limit: 200 }).then(
        (res) => (setMessages(res.messages), setUnread(Number(res.unreadCount)), setError(undefined)),
        (err) => (setMessages([]), setError(describeError(err))),
      );
    },
  );
  const threads = useMemo(() => {
    const byThread = new Map<string, Message[]>();
    for (const m of messages) {
      const list = byThread.get(m.threadId) ?? [];
      list.push(m);
      byThread.set(m.threadId, list);
    }
    return [...byThread.entries()].map(([id, list]) => ({ id, list: list.sort((a, b) => msOf(a.createdAt) - msOf(b.createdAt)) })).sort((a, b) => msOf(b.list.at(-1)!.createdAt) - msOf(a.list.at(-1)!.createdAt));
  }, [messages]);
  return (
    <section className="mailbox">
      <form
        className="toolbar"
        onSubmit={(e) => {
          e.preventDefault();
          if (draft.trim()) setHandle(draft.trim());
        }}
      >
        <h2>Mailbox</h2>
        <input aria-label="handle" value={draft} onChange={(e) => setDraft(e.target.value)} size={14} />
        <button type="submit">Open</button>
        <StreamBadge status={status} />
        <span className="muted">{unread} unread</span>
      </form>
      <ErrorLine message={error} />
      <div className="inbox" data-testid="inbox" data-handle={handle}>
        {threads.length === 0 && <p className="muted">No messages for {handle}.</p>}
        {threads.map((t) => {
          const last = t.list.at(-1)!;
          return (
            <div key={t.id} className={`thread${open === t.id ? " open" : ""}`}>
              <button type="button" className="thread-head" onClick={() => setOpen(open === t.id ? undefined : t.id)}>
                <span className={`pill type-${last.type}`}>{last.type}</span>
                {last.priority !== "normal" && <span className={`pill priority-${last.priority}`}>{last.priority}</span>}
                <span className={`subject${t.list.some((m) => !m.read) ? " unread" : ""}`}>{last.subject}</span>
                <span className="muted">
                  {last.from} · {t.list.length > 1 ? `${t.list.length} messages · ` : ""}
                  {dateTimeOf(last.createdAt)}
                </span>
              </button>
              {open === t.id && <Thread messages={t.list} />}
            </div>
          );
        })}
      </div>
      <SendForm from={handle} />
    </section>
  );
}

function Thread({ messages }: { messages: Message[] }) {
  const [reply, setReply] = useState("");
  const [error, setError] = useState<string>();
  const [sent, setSent] = useState<string>();
  const last = messages.at(-1)!;
  return (
    <div className="thread-body">
      {messages.map((m) => (
        <div key={m.id} className="message">
          <div className="muted small">
            {m.from} → {m.to}
            {m.sentTo !== m.to ? ` (via ${m.sentTo})` : ""} · {dateTimeOf(m.createdAt)} · seq {String(m.seq)}
          </div>
          <b>{m.subject}</b>
          {m.body && <pre className="body">{m.body}</pre>}
          {m.payload && <pre className="json">{m.payload}</pre>}
        </div>
      ))}
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          mailbox.reply({ id: last.id, body: reply }).then(
            () => (setReply(""), setSent(`replied to ${last.from}`), setError(undefined)),
            (err) => setError(describeError(err)),
          );
        }}
      >
        <input aria-label="reply" value={reply} onChange={(e) => setReply(e.target.value)} placeholder={`reply to ${last.from}`} />
        <button type="submit">Reply</button>
      </form>
      {sent && <p className="ok">{sent}</p>}
      <ErrorLine message={error} />
    </div>
  );
}
