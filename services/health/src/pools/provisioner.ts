import type { PoolTemplate } from "./pool-template.js";

/** A step of provisioning, named in errors so people know what to fix. */
export type ProvisionStep = "workdir" | "clone" | "copy" | "setup" | "start" | "register";

/** A started instance's process (or pod), as its provisioner sees it. */
export interface ProvisionedInstance {
  readonly name: string;
  /** Where its working copy is (for people and logs). */
  readonly workdir: string;
  /** Settles when the process ends, with how it ended (`exit code 1`, `signal SIGTERM`). */
  readonly exited: Promise<string>;
  /** The end of its output, for error messages. */
  logTail(): Promise<string>;
}

/**
 * Creates and stops the processes behind a pool's instances. The health
 * service reserves the name and waits for the instance to register itself
 * (RegisterInstance with `replace`); a provisioner only prepares and starts
 * it. `local` runs agent processes on this machine; a Kubernetes one can
 * implement the same interface with pods.
 */
export interface Provisioner {
  /** The name shown by ListPools (`local`). */
  readonly kind: string;
  /**
   * Prepares and starts instance `name` of `template`'s pool; resolves once
   * it is started (not yet registered). Throws ProvisionError naming the
   * step that failed. Aborting `signal` stops what was started.
   */
  provision(template: PoolTemplate, name: string, signal: AbortSignal): Promise<ProvisionedInstance>;
  /** Whether `name` was started by this provisioner (this replica) and still runs. */
  owns(name: string): boolean;
  /** Stops instance `name` if this provisioner runs it (graceful, then forced). */
  stop(name: string): Promise<void>;
  /** Stops every instance this provisioner runs (at shutdown). */
  stopAll(): Promise<void>;
}

/** Provisioning failed at `step`; `logTail` is the end of the step's output, when there is one. */
export class ProvisionError extends Error {
  constructor(
    readonly step: ProvisionStep,
    message: string,
    readonly logTail = "",
  ) {
    super(message);
    this.name = "ProvisionError";
  }
}
