import type { Gate, Task } from "@orchestrator/contracts";
import { useEffect, useState } from "react";
import { CONSOLE_CALLER, scheduler } from "../rpc/clients";
import { describeError } from "../rpc/describe-error";
import { ErrorLine } from "../shared/error-line";
import { msOf, span } from "../shared/format";
import { navigate } from "../shared/use-hash-route";

/** What resolving a gate did: the decision and the task's status after it. */
export interface Resolution {
  readonly gate: Gate;
  readonly task: Task | undefined;
}

/** Counts down to a deadline, once a second, on the page only. */
function Countdown({ deadline }: { deadline: number }) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  const left = deadline - now;
  return <span className={`countdown${left < 60_000 ? " soon" : ""}`}>{left > 0 ? `${span(left)} left` : "deadline passed"}</span>;
}

/** A pending gate: the question, its options as buttons (ResolveGate), the default and the deadline. */
export function GateCard({ gate, onResolved }: { gate: Gate; onResolved: (r: Resolution) => void }) {
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [text, setText] = useState("");
  const resolve = (resolution: string) => {
    setBusy(true);
    scheduler
      .resolveGate({ id: gate.id, resolution, resolvedBy: CONSOLE_CALLER })
      .then((res) => onResolved({ gate: res.gate ?? gate, task: res.task }))
      .catch((err) => setError(describeError(err)))
      .finally(() => setBusy(false));
  };
  const deadline = msOf(gate.deadline);
  const runId = gate.taskId.includes(":") ? gate.taskId.slice(0, gate.taskId.indexOf(":")) : undefined;
  return (
    <article className="card gate" data-testid={`gate-${gate.id}`} data-task={gate.taskId}>
      <header className="gate-head">
        <span className="pill gate-pending">{gate.source === "escalation" ? "agent asks" : "gate"}</span>
        <button type="button" className="link" onClick={() => (runId ? navigate("runs", runId) : navigate("task", gate.taskId))}>
          task {gate.taskId}
        </button>
        {deadline > 0 && <Countdown deadline={deadline} />}
      </header>
      <p className="question">{gate.question}</p>
      <div className="options">
        {gate.options.map((o) => (
          <button type="button" key={o} disabled={busy} onClick={() => resolve(o)} className={o === gate.defaultOption ? "default-option" : undefined}>
            {o}
            {o === gate.defaultOption ? " (default)" : ""}
          </button>
        ))}
        {gate.options.length === 0 && (
          <form
            className="row"
            onSubmit={(e) => {
              e.preventDefault();
              if (text.trim()) resolve(text.trim());
            }}
          >
            <input aria-label="answer" value={text} onChange={(e) => setText(e.target.value)} placeholder="answer" />
            <button type="submit" disabled={busy}>
              Answer
            </button>
          </form>
        )}
      </div>
      {gate.defaultOption && gate.options.length === 0 && <p className="muted">default: {gate.defaultOption}</p>}
      <p className="muted small">
        {gate.id} · asked {gate.notify || "operator"}
      </p>
      <ErrorLine message={error} />
    </article>
  );
}
