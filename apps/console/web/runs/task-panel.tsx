import type { DispatchContext, Gate, Task } from "@orchestrator/contracts";
import { useEffect, useState } from "react";
import { scheduler } from "../rpc/clients";
import { describeError } from "../rpc/describe-error";
import { ErrorLine } from "../shared/error-line";
import { dateTimeOf, timeOf } from "../shared/format";
import { JsonView } from "../shared/json-view";

/**
 * One task: what it is, its status and failure, its result, every dispatch
 * context (attempt, instance, status, error, the breaker's count) and its
 * gates. Reloaded when `version` (the task's status and update time in the
 * pushed run state) changes.
 */
export function TaskPanel({ id, version, onClose }: { id: string; version: string; onClose?: () => void }) {
  const [task, setTask] = useState<Task>();
  const [contexts, setContexts] = useState<DispatchContext[]>([]);
  const [gates, setGates] = useState<Gate[]>([]);
  const [error, setError] = useState<string>();
  useEffect(() => {
    let live = true;
    Promise.all([scheduler.getTask({ id }), scheduler.getDispatch({ taskId: id }), scheduler.listGates({ taskId: id, limit: 50 })])
      .then(([t, d, g]) => {
        if (!live) return;
        setTask(t.task);
        setContexts(d.history);
        setGates(g.gates);
        setError(undefined);
      })
      .catch((err) => live && setError(describeError(err)));
    return () => {
      live = false;
    };
  }, [id, version]);
  return (
    <aside className="panel task-panel" data-testid="task-panel">
      <header className="panel-head">
        <h2>{task?.key || id}</h2>
        {onClose && (
          <button type="button" className="link" onClick={onClose} aria-label="close">
            ✕
          </button>
        )}
      </header>
      <ErrorLine message={error} />
      {task && (
        <>
          <dl className="facts">
            <dt>status</dt>
            <dd>
              <span className={`pill status-${task.status}`} data-testid="task-status">
                {task.status}
              </span>
              {task.failureReason && <span className="muted"> {task.failureReason}</span>}
              {task.failedDependency && <span className="muted"> (after {task.failedDependency})</span>}
            </dd>
            <dt>id</dt>
            <dd>{task.id}</dd>
            <dt>spec</dt>
            <dd className="spec">{task.spec}</dd>
            <dt>deps</dt>
            <dd>{task.deps.join(", ") || "—"}</dd>
            <dt>target</dt>
            <dd>{task.target || "—"}</dd>
            <dt>attempts</dt>
            <dd>
              {task.attempts} of {task.maxAttempts || 3} before the circuit breaks
            </dd>
            {task.error && (
              <>
                <dt>error</dt>
                <dd className="error-text">{task.error}</dd>
              </>
            )}
            <dt>updated</dt>
            <dd>{dateTimeOf(task.updatedAt)}</dd>
          </dl>
          <h3>Result</h3>
          <JsonView value={task.result} empty="no result yet" />
        </>
      )}
      <h3>Dispatch contexts</h3>
      {contexts.length === 0 ? (
        <p className="muted">never dispatched</p>
      ) : (
        <table className="contexts" data-testid="dispatch-contexts">
          <thead>
            <tr>
              <th>#</th>
              <th>instance</th>
              <th>status</th>
              <th>breaker</th>
              <th>at</th>
              <th>error</th>
            </tr>
          </thead>
          <tbody>
            {contexts.map((c) => (
              <tr key={c.id} className={`ctx-${c.status}`}>
                <td>{c.attempt}</td>
                <td>
                  {c.instance} <span className="muted">{c.kind}</span>
                </td>
                <td>{c.status}</td>
                <td title="failed attempts in a row (what the circuit breaker counts)">{c.consecutiveFailures}</td>
                <td>
                  {timeOf(c.dispatchedAt)}
                  {c.finishedAt ? `–${timeOf(c.finishedAt)}` : ""}
                </td>
                <td className="error-text">{c.error}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {gates.length > 0 && (
        <>
          <h3>Gates</h3>
          <ul className="plain">
            {gates.map((g) => (
              <li key={g.id}>
                <span className={`pill gate-${g.status}`}>{g.status}</span> {g.question} {g.resolution && <b>→ {g.resolution}</b>}
              </li>
            ))}
          </ul>
        </>
      )}
    </aside>
  );
}
