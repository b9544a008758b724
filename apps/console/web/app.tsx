import { useSyncExternalStore } from "react";
import { AttentionView } from "./attention/attention-view";
import { useStoredHandle } from "./attention/handles";
import { useGates } from "./attention/use-gates";
import { authState, clearKey, subscribeAuth } from "./auth/key-store";
import { KeyPrompt } from "./auth/key-prompt";
import { FleetView } from "./fleet/fleet-view";
import { RunsView } from "./runs/runs-view";
import { TaskPanel } from "./runs/task-panel";
import { navigate, useHashRoute } from "./shared/use-hash-route";

/** The console: Fleet, Runs and Attention, over the services' own RPCs. */
export function App() {
  const auth = useSyncExternalStore(subscribeAuth, authState);
  const route = useHashRoute();
  const [gateHandle, setGateHandle] = useStoredHandle("gates", "operator");
  const gates = useGates(gateHandle, auth.epoch);
  const view = route[0] ?? "fleet";
  return (
    <div className="app">
      <nav className="nav">
        <span className="brand">orchestrator</span>
        <a href="#/fleet" className={view === "fleet" ? "active" : undefined}>
          Fleet
        </a>
        <a href="#/runs" className={view === "runs" ? "active" : undefined}>
          Runs
        </a>
        <a href="#/attention" className={view === "attention" ? "active" : undefined} data-testid="nav-attention">
          Attention{gates.pending.length > 0 && <span className="badge">{gates.pending.length}</span>}
        </a>
        <span className="spacer" />
        {auth.key && (
          <button type="button" className="link" onClick={clearKey}>
            forget key
          </button>
        )}
      </nav>
      <main key={auth.epoch}>
        {view === "fleet" && <FleetView epoch={auth.epoch} />}
        {view === "runs" && <RunsView id={route[1]} epoch={auth.epoch} />}
        {view === "attention" && <AttentionView gates={gates} gateHandle={gateHandle} setGateHandle={setGateHandle} epoch={auth.epoch} />}
        {view === "task" && route[1] && (
          <div className="split">
            <TaskPanel id={route[1]} version={String(gates.pending.length)} onClose={() => navigate("attention")} />
          </div>
        )}
      </main>
      {auth.error && <KeyPrompt error={auth.error} keySent={Boolean(auth.key)} />}
    </div>
  );
}
