import { useState } from "react";
import { scheduler } from "../rpc/clients";
import { describeError } from "../rpc/describe-error";
import { ErrorLine } from "../shared/error-line";

const EXAMPLE = `target: "@pool:demo"
tasks:
  - {id: a, spec: fetch the sources}
  - {id: b, spec: build the left half, deps: [a]}
  - {id: c, spec: build the right half, deps: [a]}
  - {id: d, spec: join, deps: [b, c]}
`;

/** Starts a run (SchedulerService StartRun) from a YAML or JSON task graph, then opens it. */
export function StartRunForm({ onStarted }: { onStarted: (id: string) => void }) {
  const [spec, setSpec] = useState(EXAMPLE);
  const [concurrency, setConcurrency] = useState("");
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  return (
    <form
      className="card start-run"
      onSubmit={(e) => {
        e.preventDefault();
        setBusy(true);
        scheduler
          .startRun({ spec, maxConcurrency: Number(concurrency) || 0 })
          .then((res) => {
            setError(undefined);
            if (res.run) onStarted(res.run.id);
          })
          .catch((err) => setError(describeError(err)))
          .finally(() => setBusy(false));
      }}
    >
      <h3>Start a run</h3>
      <textarea aria-label="run spec" value={spec} onChange={(e) => setSpec(e.target.value)} rows={8} spellCheck={false} />
      <div className="row">
        <label>
          max concurrency <input aria-label="max concurrency" inputMode="numeric" value={concurrency} onChange={(e) => setConcurrency(e.target.value)} size={4} placeholder="spec" />
        </label>
        <button type="submit" disabled={busy}>
          Start run
        </button>
      </div>
      <ErrorLine message={error} />
    </form>
  );
}
