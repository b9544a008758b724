import type { Task } from "@orchestrator/contracts";
import { useVirtualizer } from "@tanstack/react-virtual";
import { useMemo, useRef, useState } from "react";
import { TASK_STATUSES } from "./status-colors";

const ROW = 28;

/** A run's tasks as a list (virtualised: only the rows on screen exist), filterable by status. */
export function TaskList({ tasks, selected, onSelect }: { tasks: readonly Task[]; selected: string | undefined; onSelect: (id: string) => void }) {
  const [status, setStatus] = useState("");
  const shown = useMemo(() => (status ? tasks.filter((t) => t.status === status) : tasks), [tasks, status]);
  const parent = useRef<HTMLDivElement>(null);
  const rows = useVirtualizer({ count: shown.length, getScrollElement: () => parent.current, estimateSize: () => ROW, overscan: 10 });
  return (
    <section className="task-list">
      <div className="toolbar small">
        <h3>Tasks</h3>
        <select aria-label="status filter" value={status} onChange={(e) => setStatus(e.target.value)}>
          <option value="">all ({tasks.length})</option>
          {TASK_STATUSES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </div>
      <div className="list-scroll" ref={parent} data-testid="task-list">
        <div style={{ height: rows.getTotalSize(), position: "relative" }}>
          {rows.getVirtualItems().map((row) => {
            const t = shown[row.index]!;
            return (
              <button
                type="button"
                key={t.id}
                className={`task-row${t.id === selected ? " selected" : ""}`}
                style={{ position: "absolute", top: 0, left: 0, right: 0, height: ROW, transform: `translateY(${row.start}px)` }}
                onClick={() => onSelect(t.id)}
              >
                <span className={`dot status-${t.status}`} />
                <span className="task-key">{t.key || t.id}</span>
                <span className="muted">{t.status}</span>
              </button>
            );
          })}
        </div>
      </div>
    </section>
  );
}
