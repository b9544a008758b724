import { HealthState } from "@orchestrator/contracts";
import { useMemo, useState } from "react";
import { ErrorLine } from "../shared/error-line";
import { healthName } from "../shared/format";
import { StreamBadge } from "../shared/stream-badge";
import { InstancePanel } from "./instance-panel";
import { InstanceTile } from "./instance-tile";
import { useFleet } from "./use-fleet";
import { useSelectorFilter } from "./use-selector-filter";

/** Fleet: a tile per instance, live from WatchHealth, filtered by a selector the server evaluates. */
export function FleetView({ epoch }: { epoch: number }) {
  const fleet = useFleet(epoch);
  const [filter, setFilter] = useState("");
  const [selected, setSelected] = useState<string>();
  const matched = useSelectorFilter(filter, fleet.version);
  const shown = useMemo(
    () => [...fleet.instances.values()].filter((i) => !matched.names || matched.names.has(i.name)).sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true })),
    [fleet.version, matched],
  );
  const counts = useMemo(() => {
    const c = new Map<string, number>();
    for (const i of fleet.instances.values()) c.set(healthName(i.health), (c.get(healthName(i.health)) ?? 0) + 1);
    return c;
  }, [fleet.version]);
  const current = selected ? fleet.instances.get(selected) : undefined;
  return (
    <div className="split">
      <section className="main-col">
        <div className="toolbar">
          <h1>Fleet</h1>
          <StreamBadge status={fleet.status} />
          <span className="counts">
            {[HealthState.HEALTHY, HealthState.DEGRADED, HealthState.DOWN, HealthState.UNKNOWN].map((h) => {
              const n = counts.get(healthName(h)) ?? 0;
              return n > 0 ? <span key={h} className={`pill health-pill-${healthName(h)}`}>{n} {healthName(h)}</span> : null;
            })}
          </span>
          <input
            className="filter"
            type="search"
            placeholder="filter: A-H  @pool:kite  @label:zone=a  kite-*  @idle"
            aria-label="selector filter"
            value={filter}
            onChange={(e) => setFilter(e.target.value)}
          />
        </div>
        <ErrorLine message={matched.error} />
        {shown.length === 0 && fleet.status.state === "live" && !matched.error && <p className="muted">No instances{filter ? " match" : " registered"}.</p>}
        <div className="tiles" data-testid="tiles">
          {shown.map((i) => (
            <InstanceTile key={i.name} instance={i} selected={i.name === selected} onSelect={setSelected} />
          ))}
        </div>
      </section>
      {current && <InstancePanel instance={current} epoch={epoch} onClose={() => setSelected(undefined)} />}
    </div>
  );
}
