import { InstanceKind, type Instance } from "@orchestrator/contracts";
import { activityName, healthName } from "../shared/format";

/** One instance: health colour, activity, pool, labels, allocation. */
export function InstanceTile({ instance, selected, onSelect }: { instance: Instance; selected: boolean; onSelect: (name: string) => void }) {
  const h = healthName(instance.health);
  const activity = activityName(instance.activity);
  const labels = Object.entries(instance.labels);
  return (
    <button
      type="button"
      className={`tile health-${h}${selected ? " selected" : ""}`}
      data-testid={`tile-${instance.name}`}
      data-health={h}
      onClick={() => onSelect(instance.name)}
      title={instance.activityDetail || undefined}
    >
      <span className="tile-head">
        <span className="tile-name">{instance.name}</span>
        <span className={`pill health-pill-${h}`}>{h}</span>
      </span>
      <span className="tile-line">
        {activity && <span className={`activity activity-${activity}`}>{activity}</span>}
        {instance.kind === InstanceKind.AGENT && <span className="kind">agent</span>}
        <span className="pool">@pool:{instance.pool}</span>
      </span>
      {instance.allocatedTo && <span className="tile-line allocated">held by {instance.allocatedTo}</span>}
      {labels.length > 0 && (
        <span className="labels">
          {labels.map(([k, v]) => (
            <span key={k} className="label">
              {k}={v}
            </span>
          ))}
        </span>
      )}
    </button>
  );
}
