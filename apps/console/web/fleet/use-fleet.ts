import type { Instance } from "@orchestrator/contracts";
import { useCallback, useRef, useState } from "react";
import { health } from "../rpc/clients";
import { useStream, type StreamStatus } from "../rpc/use-stream";

/** Every instance by name, live from WatchHealth, and a counter bumped on each change. */
export interface Fleet {
  readonly instances: ReadonlyMap<string, Instance>;
  readonly version: number;
  readonly status: StreamStatus;
}

/**
 * The whole fleet, pushed: WatchHealth sends a snapshot, then each change
 * of health or activity as it commits (registrations and removals too).
 * Updates arriving together render once.
 */
export function useFleet(epoch: number): Fleet {
  const map = useRef(new Map<string, Instance>());
  const [version, setVersion] = useState(0);
  const scheduled = useRef(false);
  const bump = useCallback(() => {
    if (scheduled.current) return;
    scheduled.current = true;
    requestAnimationFrame(() => {
      scheduled.current = false;
      setVersion((v) => v + 1);
    });
  }, []);
  const status = useStream(
    (signal) => health.watchHealth({ instances: [] }, { signal }),
    (ev) => {
      if (!ev.instance) return;
      if (ev.removed) map.current.delete(ev.instance.name);
      else map.current.set(ev.instance.name, ev.instance);
      bump();
    },
    [epoch],
    () => {
      map.current = new Map();
      bump();
    },
  );
  return { instances: map.current, version, status };
}
