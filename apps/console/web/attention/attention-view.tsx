import { useState } from "react";
import { ErrorLine } from "../shared/error-line";
import { StreamBadge } from "../shared/stream-badge";
import { Escalations } from "./escalations";
import { GateCard, type Resolution } from "./gate-card";
import { useStoredHandle } from "./handles";
import { MailboxPanel } from "./mailbox-panel";
import type { Gates } from "./use-gates";

/**
 * Everything waiting for a person in one place: pending gates across every
 * run (answer with a button), agents' escalations, and a mailbox with a
 * send form.
 */
export function AttentionView({ gates, gateHandle, setGateHandle, epoch }: { gates: Gates; gateHandle: string; setGateHandle: (h: string) => void; epoch: number }) {
  const [schedulerHandle, setSchedulerHandle] = useStoredHandle("scheduler", "scheduler");
  const [mailHandle, setMailHandle] = useStoredHandle("mail", "operator");
  const [resolved, setResolved] = useState<Resolution[]>([]);
  return (
    <div className="split">
      <section className="main-col attention">
        <div className="toolbar">
          <h1>Attention</h1>
          <StreamBadge status={gates.status} />
          <button type="button" onClick={gates.reload}>
            Refresh
          </button>
          <details className="settings">
            <summary>handles</summary>
            <label>
              gates go to <input aria-label="gate handle" defaultValue={gateHandle} onBlur={(e) => e.target.value && setGateHandle(e.target.value)} size={12} />
            </label>
            <label>
              agents escalate to <input aria-label="scheduler handle" defaultValue={schedulerHandle} onBlur={(e) => e.target.value && setSchedulerHandle(e.target.value)} size={12} />
            </label>
          </details>
        </div>
        <h2>
          Pending gates <span className="pill">{gates.pending.length}</span>
        </h2>
        <ErrorLine message={gates.error} />
        {gates.pending.length === 0 && <p className="muted">No gate is waiting.</p>}
        <div className="gates" data-testid="pending-gates">
          {gates.pending.map((g) => (
            <GateCard
              key={g.id}
              gate={g}
              onResolved={(r) => {
                setResolved((prev) => [r, ...prev].slice(0, 20));
                gates.reload();
              }}
            />
          ))}
        </div>
        {resolved.length > 0 && (
          <>
            <h2>Resolved here</h2>
            <ul className="plain" data-testid="resolved-gates">
              {resolved.map((r) => (
                <li key={r.gate.id} data-testid={`resolved-${r.gate.id}`}>
                  {r.gate.question} → <b>{r.gate.resolution}</b> · task {r.gate.taskId} is now{" "}
                  <span className={`pill status-${r.task?.status}`} data-testid="resolved-task-status">
                    {r.task?.status ?? "?"}
                  </span>
                </li>
              ))}
            </ul>
          </>
        )}
        <Escalations handle={schedulerHandle} epoch={epoch} />
      </section>
      <aside className="side-col wide">
        <MailboxPanel key={mailHandle} handle={mailHandle} setHandle={setMailHandle} epoch={epoch} />
      </aside>
    </div>
  );
}
