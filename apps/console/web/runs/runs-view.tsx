import type { Run } from "@orchestrator/contracts";
import { useCallback, useEffect, useState } from "react";
import { scheduler } from "../rpc/clients";
import { describeError } from "../rpc/describe-error";
import { ErrorLine } from "../shared/error-line";
import { dateTimeOf } from "../shared/format";
import { navigate } from "../shared/use-hash-route";
import { RunView } from "./run-view";
import { StartRunForm } from "./start-run-form";

/**
 * Runs: the list (phase and task counts; loaded when shown and on Refresh,
 * as no stream lists runs) and a form that starts one; a run opens as its
 * live graph.
 */
export function RunsView({ id, epoch }: { id: string | undefined; epoch: number }) {
  if (id) return <RunView id={id} epoch={epoch} />;
  return <RunList epoch={epoch} />;
}

function RunList({ epoch }: { epoch: number }) {
  const [runs, setRuns] = useState<Run[]>();
  const [error, setError] = useState<string>();
  const load = useCallback(() => {
    scheduler.listRuns({ limit: 200 }).then(
      (res) => (setRuns(res.runs), setError(undefined)),
      (err) => setError(describeError(err)),
    );
  }, []);
  useEffect(load, [load, epoch]);
  return (
    <div className="split">
      <section className="main-col">
        <div className="toolbar">
          <h1>Runs</h1>
          <button type="button" onClick={load}>
            Refresh
          </button>
        </div>
        <ErrorLine message={error} />
        {runs && runs.length === 0 && <p className="muted">No runs yet: start one with the form.</p>}
        {runs && runs.length > 0 && (
          <table className="runs" data-testid="runs">
            <thead>
              <tr>
                <th>run</th>
                <th>phase</th>
                <th>tasks</th>
                <th>target</th>
                <th>started</th>
              </tr>
            </thead>
            <tbody>
              {runs.map((r) => (
                <tr key={r.id} onClick={() => navigate("runs", r.id)} className="clickable">
                  <td>
                    <a href={`#/runs/${encodeURIComponent(r.id)}`}>{r.id}</a>
                  </td>
                  <td>
                    <span className={`pill phase-${r.status}`}>{r.status}</span>
                  </td>
                  <td>
                    <span className="status-completed-text">{r.counts?.completed ?? 0}</span>/{r.counts?.total ?? 0} completed
                    {r.counts?.failed ? <span className="error-text"> · {r.counts.failed} failed</span> : null}
                    {r.counts?.dispatched ? <span> · {r.counts.dispatched} running</span> : null}
                    {r.counts?.blocked ? <span> · {r.counts.blocked} blocked</span> : null}
                  </td>
                  <td>{r.target}</td>
                  <td>{dateTimeOf(r.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <aside className="side-col narrow">
        <StartRunForm onStarted={(runId) => navigate("runs", runId)} />
      </aside>
    </div>
  );
}
