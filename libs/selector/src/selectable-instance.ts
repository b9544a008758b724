/**
 * What a selector looks at: the registry view of an instance. Structural, so
 * callers pass their own records (a db row, a proto `Instance` mapped to
 * strings) without converting to a selector-specific type.
 */
export interface SelectableInstance {
  name: string;
  pool: string;
  labels: Readonly<Record<string, string>>;
  health: "unknown" | "healthy" | "degraded" | "down";
  activity: "idle" | "busy" | "waiting" | "running" | "completed" | "error";
  /** Holder from AllocateInstance; null/undefined/"" when free. */
  allocatedTo?: string | null;
}
