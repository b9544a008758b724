import { InstanceKind, type HealthTransition, type Instance } from "@orchestrator/contracts";
import { useEffect, useState } from "react";
import { health } from "../rpc/clients";
import { describeError } from "../rpc/describe-error";
import { ErrorLine } from "../shared/error-line";
import { activityName, dateTimeOf, healthName, timeOf } from "../shared/format";
import { AgentTail } from "./agent-tail";

/**
 * A selected instance: its registration and allocation (live, from the
 * fleet stream), its health history (reloaded when its health changes),
 * and for an agent its output tail.
 */
export function InstancePanel({ instance, epoch, onClose }: { instance: Instance; epoch: number; onClose: () => void }) {
  const [history, setHistory] = useState<HealthTransition[]>([]);
  const [error, setError] = useState<string>();
  const changedAt = instance.healthChangedAt ? `${instance.healthChangedAt.seconds}.${instance.healthChangedAt.nanos}` : "";
  useEffect(() => {
    let live = true;
    health
      .getHealthHistory({ name: instance.name, limit: 50 })
      .then((res) => live && (setHistory(res.transitions), setError(undefined)))
      .catch((err) => live && setError(describeError(err)));
    return () => {
      live = false;
    };
  }, [instance.name, instance.health, changedAt, epoch]);
  return (
    <aside className="panel" data-testid="instance-panel">
      <header className="panel-head">
        <h2>{instance.name}</h2>
        <button type="button" className="link" onClick={onClose} aria-label="close">
          ✕
        </button>
      </header>
      <dl className="facts">
        <dt>health</dt>
        <dd className={`health-text-${healthName(instance.health)}`}>{healthName(instance.health)} since {dateTimeOf(instance.healthChangedAt)}</dd>
        <dt>activity</dt>
        <dd>
          {activityName(instance.activity) || "—"} {instance.activityDetail}
        </dd>
        <dt>kind</dt>
        <dd>{instance.kind === InstanceKind.AGENT ? "agent" : "service"}</dd>
        <dt>address</dt>
        <dd>{instance.address || "—"}</dd>
        <dt>pool</dt>
        <dd>{instance.pool}</dd>
        <dt>labels</dt>
        <dd>{Object.entries(instance.labels).map(([k, v]) => `${k}=${v}`).join(", ") || "—"}</dd>
        <dt>allocation</dt>
        <dd data-testid="allocation">{instance.allocatedTo ? `held by ${instance.allocatedTo} since ${dateTimeOf(instance.allocatedAt)}` : "free"}</dd>
        <dt>heartbeat</dt>
        <dd>{dateTimeOf(instance.lastHeartbeatAt) || "—"}</dd>
        <dt>registered</dt>
        <dd>{dateTimeOf(instance.registeredAt)}</dd>
      </dl>
      <h3>Status history</h3>
      <ErrorLine message={error} />
      <ol className="history" data-testid="health-history">
        {history.map((t, i) => (
          <li key={i}>
            <span className="time">{timeOf(t.at)}</span> <span className={`health-text-${healthName(t.from)}`}>{healthName(t.from)}</span> →{" "}
            <span className={`health-text-${healthName(t.to)}`}>{healthName(t.to)}</span> <span className="muted">{t.reason}</span>
          </li>
        ))}
      </ol>
      {instance.kind === InstanceKind.AGENT && <AgentTail name={instance.name} epoch={epoch} />}
    </aside>
  );
}
