import { useEffect, useRef, useState } from "react";
import { health } from "../rpc/clients";
import { describeError } from "../rpc/describe-error";

/** The names a selector matches, as the server evaluates it, or its error. */
export interface SelectorFilter {
  readonly names: ReadonlySet<string> | undefined;
  readonly error: string | undefined;
}

/**
 * Evaluates the filter (`@pool:kite`, `A-H`, `kite-* @idle`: several
 * selectors separated by spaces or commas) with ListInstances, so the one
 * selector grammar is the server's. Re-evaluated when the fleet changes
 * (groups such as `@healthy` follow health), at most one call at a time.
 */
export function useSelectorFilter(text: string, fleetVersion: number): SelectorFilter {
  const [result, setResult] = useState<SelectorFilter>({ names: undefined, error: undefined });
  const inFlight = useRef(false);
  const again = useRef(false);
  const latest = useRef(text);
  latest.current = text;
  useEffect(() => {
    const selectors = text.split(/[\s,]+/).filter(Boolean);
    if (selectors.length === 0) {
      setResult({ names: undefined, error: undefined });
      return;
    }
    const report = (err: unknown) => setResult({ names: new Set(), error: describeError(err) });
    const run = async (): Promise<void> => {
      if (inFlight.current) {
        again.current = true;
        return;
      }
      inFlight.current = true;
      try {
        const sel = latest.current.split(/[\s,]+/).filter(Boolean);
        if (sel.length === 0) return;
        try {
          const res = await health.listInstances({ selectors: sel });
          if (latest.current.split(/[\s,]+/).filter(Boolean).join(" ") === sel.join(" ")) {
            setResult({ names: new Set(res.instances.map((i) => i.name)), error: undefined });
          }
        } catch (err) {
          setResult({ names: new Set(), error: describeError(err) });
        }
      } finally {
        inFlight.current = false;
        if (again.current) {
          again.current = false;
          run().catch(report);
        }
      }
    };
    const timer = setTimeout(() => {
      run().catch(report);
    }, 150);
    return () => clearTimeout(timer);
  }, [text, fleetVersion]);
  return result;
}
