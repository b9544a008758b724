import { useMemo, useState } from "react";
import { scheduler } from "../rpc/clients";
import { describeError } from "../rpc/describe-error";
import { ErrorLine } from "../shared/error-line";
import { dateTimeOf } from "../shared/format";
import { navigate } from "../shared/use-hash-route";
import { StreamBadge } from "../shared/stream-badge";
import { RunGraph } from "./run-graph";
import { TASK_STATUSES } from "./status-colors";
import { TaskList } from "./task-list";
import { TaskPanel } from "./task-panel";
import { useRun } from "./use-run";

const FINAL = new Set(["done", "failed", "stopped"]);

/** One run: phase and counts, its DAG (live), its tasks, and the selected task. */
export function RunView({ id, epoch }: { id: string; epoch: number }) {
  const state = useRun(id, epoch);
  const [selected, setSelected] = useState<string>();
  const [focus, setFocus] = useState<{ id: string; n: number }>();
  const [stopError, setStopError] = useState<string>();
  const { run } = state;
  const selectedTask = useMemo(() => state.tasks?.find((t) => t.id === selected), [state.tasks, selected]);
  const select = (taskId: string, center: boolean) => {
    setSelected(taskId);
    if (center) setFocus((f) => ({ id: taskId, n: (f?.n ?? 0) + 1 }));
  };
  return (
    <div className="run-view">
      <div className="toolbar">
        <button type="button" className="link" onClick={() => navigate("runs")}>
          ← runs
        </button>
        <h1>{id}</h1>
        {run && (
          <span className={`pill phase-${run.status}`} data-testid="run-phase">
            {run.status}
          </span>
        )}
        <StreamBadge status={state.status} />
        {run?.counts && (
          <span className="counts" data-testid="run-counts">
            {TASK_STATUSES.map((s) => {
              const n = run.counts![s];
              return n ? (
                <span key={s} className={`pill status-${s}`}>
                  {n} {s}
                </span>
              ) : null;
            })}
            <span className="muted">of {run.counts.total}</span>
          </span>
        )}
        {run && !FINAL.has(run.status) && (
          <button
            type="button"
            onClick={() => {
              scheduler.stopRun({ id, reason: "stopped from the console" }).then(
                () => setStopError(undefined),
                (err: unknown) => setStopError(describeError(err)),
              );
            }}
          >
            Stop run
          </button>
        )}
      </div>
      {run && (
        <p className="muted run-meta">
          target {run.target} · max concurrency {run.maxConcurrency} · started {dateTimeOf(run.createdAt)}
          {run.finishedAt ? ` · finished ${dateTimeOf(run.finishedAt)}` : ""}
          {state.running.length > 0 ? ` · running: ${state.running.map((r) => `${r.key}@${r.instance}`).join(", ")}` : ""}
        </p>
      )}
      <ErrorLine message={run?.error ? `run error: ${run.error}` : undefined} />
      <ErrorLine message={state.error ?? stopError} />
      <div className="run-body">
        {state.tasks ? (
          state.tasks.length > 0 ? (
            <RunGraph tasks={state.tasks} selected={selected} onSelect={(t) => select(t, false)} focus={focus} />
          ) : (
            <p className="muted graph">No tasks yet{run?.status === "decomposing" ? " (decomposing the spec)" : ""}.</p>
          )
        ) : (
          <p className="muted graph">loading…</p>
        )}
        <div className="side-col">
          {selected && <TaskPanel id={selected} version={`${selectedTask?.status}:${selectedTask?.updatedAt?.seconds}:${selectedTask?.updatedAt?.nanos}`} onClose={() => setSelected(undefined)} />}
          {state.tasks && <TaskList tasks={state.tasks} selected={selected} onSelect={(t) => select(t, true)} />}
        </div>
      </div>
    </div>
  );
}
