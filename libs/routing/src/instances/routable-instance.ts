import type { SelectableInstance } from "@orchestrator/selector";

/** An instance's health as the router sees it. */
export type HealthName = SelectableInstance["health"];

/**
 * What the router knows of an instance: the registry record the health
 * service streams, reduced to what routing and selectors look at.
 */
export interface RoutableInstance extends SelectableInstance {
  readonly name: string;
  /** host:port of its WorkerService. */
  readonly address: string;
  /** Only `service` instances serve WorkerService; agents get work through the mailbox. */
  readonly kind: "service" | "agent";
  readonly pool: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly health: HealthName;
  readonly activity: SelectableInstance["activity"];
  readonly allocatedTo: string | null;
}
