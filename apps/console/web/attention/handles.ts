import { useState } from "react";

/**
 * Mailbox handles the console reads, kept in localStorage (they are no
 * secret): who gets `decision_gate` messages (ORCHESTRATOR_SCHEDULER_GATE_HANDLE,
 * `operator` by default) and the scheduler's handle, where agents escalate.
 */
export function useStoredHandle(name: string, fallback: string): [string, (v: string) => void] {
  const key = `orchestrator.handle.${name}`;
  const [value, setValue] = useState(() => localStorage.getItem(key) || fallback);
  return [
    value,
    (v: string) => {
      localStorage.setItem(key, v);
      setValue(v);
    },
  ];
}
