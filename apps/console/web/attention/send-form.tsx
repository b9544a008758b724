import { useState } from "react";
import { mailbox } from "../rpc/clients";
import { describeError } from "../rpc/describe-error";
import { ErrorLine } from "../shared/error-line";

const TYPES = ["status", "handoff", "escalation", "dispatch", "worker_done", "merge_ready", "decision_gate"];
const PRIORITIES = ["normal", "high", "urgent"];

/** Sends a message (MailboxService Send) to a handle or a group (`@pool:demo`, `A-H`). */
export function SendForm({ from }: { from: string }) {
  const [to, setTo] = useState("");
  const [subject, setSubject] = useState("");
  const [body, setBody] = useState("");
  const [type, setType] = useState("status");
  const [priority, setPriority] = useState("normal");
  const [sender, setSender] = useState("");
  const [result, setResult] = useState<string>();
  const [error, setError] = useState<string>();
  return (
    <form
      className="card send-form"
      aria-label="send a message"
      onSubmit={(e) => {
        e.preventDefault();
        mailbox
          .send({ to: to.trim(), subject, body, type, priority, from: sender.trim() || from })
          .then((res) => {
            setError(undefined);
            setResult(`sent to ${res.messages.map((m) => m.to).join(", ")} (thread ${res.threadId})`);
            setSubject("");
            setBody("");
          })
          .catch((err) => (setResult(undefined), setError(describeError(err))));
      }}
    >
      <h3>Send</h3>
      <div className="grid2">
        <label>
          to <input aria-label="to" value={to} onChange={(e) => setTo(e.target.value)} placeholder="alice, @pool:demo, A-H" required />
        </label>
        <label>
          from <input aria-label="from" value={sender} onChange={(e) => setSender(e.target.value)} placeholder={from} />
        </label>
        <label>
          type
          <select aria-label="type" value={type} onChange={(e) => setType(e.target.value)}>
            {TYPES.map((t) => (
              <option key={t}>{t}</option>
            ))}
          </select>
        </label>
        <label>
          priority
          <select aria-label="priority" value={priority} onChange={(e) => setPriority(e.target.value)}>
            {PRIORITIES.map((p) => (
              <option key={p}>{p}</option>
            ))}
          </select>
        </label>
      </div>
      <input aria-label="subject" value={subject} onChange={(e) => setSubject(e.target.value)} placeholder="subject" required />
      <textarea aria-label="body" value={body} onChange={(e) => setBody(e.target.value)} placeholder="body" rows={3} />
      <button type="submit">Send</button>
      {result && <p className="ok" data-testid="send-result">{result}</p>}
      <ErrorLine message={error} />
    </form>
  );
}
