import type { ChildProcess } from "node:child_process";
import { appendFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Logger } from "pino";
import { logTail } from "./log-tail.js";
import type { PoolTemplate } from "./pool-template.js";
import { ensureWorkdirRoot, prepareWorkingCopy } from "./prepare-working-copy.js";
import { ProvisionError, type ProvisionedInstance, type Provisioner } from "./provisioner.js";
import { exitOf, signalGroup, spawnLogged } from "./run-logged.js";
import { runSetup } from "./run-setup.js";

/** What a LocalProvisioner needs from the process hosting it. */
export interface LocalProvisionerOptions {
  /**
   * The argv prefix that runs the `orchestrator` command, e.g.
   * `[process.execPath, "/app/apps/cli/bin/orchestrator.js"]`; injected by
   * the app, since services do not know where the CLI lives.
   */
  readonly launcher: readonly string[];
  /**
   * ORCHESTRATOR_ADDR, ORCHESTRATOR_HEALTH_ADDR and ORCHESTRATOR_API_KEY of
   * this control plane; called at each provision (addresses are known once
   * the server listens).
   */
  readonly controlPlaneEnv: () => Readonly<Record<string, string>>;
  /** Environment every child inherits (PATH, HOME, ...). @default process.env */
  readonly baseEnv?: NodeJS.ProcessEnv;
  /** How long a stopped agent gets after SIGTERM before SIGKILL. @default 5000 */
  readonly stopGraceMs?: number;
  readonly logger: Logger;
}

interface Running {
  readonly child: ChildProcess;
  readonly exited: Promise<string>;
}

/**
 * Runs a pool's agents as processes on this machine. For instance `name`:
 * the working copy `<workdirRoot>/<name>` (cloned, copied or reused, see
 * prepareWorkingCopy), the setup script when present (output in
 * `<workdirRoot>/<name>.setup.log`), then `orchestrator agent --name <name>
 * --pool <pool> --workdir <dir> [--label k=v]... --input <arg|stdin>
 * [--timeout <ms>ms] -- <command...>` with this control plane's address and
 * key plus the template's env (output in `<workdirRoot>/<name>.log`). Each
 * process runs in its own process group, so stopping it stops what it
 * started too.
 */
export class LocalProvisioner implements Provisioner {
  readonly kind = "local";
  private readonly running = new Map<string, Running>();

  constructor(private readonly options: LocalProvisionerOptions) {}

  async provision(template: PoolTemplate, name: string, signal: AbortSignal): Promise<ProvisionedInstance> {
    const dir = join(template.workdirRoot, name);
    const setupLog = join(template.workdirRoot, `${name}.setup.log`);
    const agentLog = join(template.workdirRoot, `${name}.log`);
    const env = { ...(this.options.baseEnv ?? process.env), ...template.env, ...this.options.controlPlaneEnv() };

    await ensureWorkdirRoot(template.workdirRoot);
    await writeFile(setupLog, `provisioning ${name} of pool ${template.name} at ${new Date().toISOString()}\n`);
    const origin = await prepareWorkingCopy(template, dir, setupLog, env, signal);
    await runSetup(template.setup, dir, setupLog, env, signal);
    signal.throwIfAborted();

    const [command, ...prefix] = this.options.launcher;
    if (!command) throw new ProvisionError("start", "no launcher for `orchestrator agent` was configured");
    const args = [...prefix, ...agentArgs(template, name, dir)];
    await appendFile(agentLog, `--- ${new Date().toISOString()} ${[command, ...args].join(" ")}\n`);
    let child: ChildProcess;
    try {
      child = await spawnLogged({ command, args, cwd: dir, env, logPath: agentLog });
    } catch (err) {
      throw new ProvisionError("start", `cannot start the agent: ${(err as Error).message}`);
    }
    const exited = exitOf(child);
    this.running.set(name, { child, exited });
    exited
      .then((how) => {
        if (this.running.get(name)?.child === child) this.running.delete(name);
        this.options.logger.info({ instance: name, pool: template.name, how }, "provisioned agent process ended");
      })
      .catch((err: unknown) => this.options.logger.error({ err, instance: name }, "could not follow the agent process"));
    this.options.logger.info({ instance: name, pool: template.name, pid: child.pid, workdir: dir, origin }, "agent process started");
    return { name, workdir: dir, exited, logTail: () => logTail(agentLog) };
  }

  owns(name: string): boolean {
    return this.running.has(name);
  }

  async stop(name: string): Promise<void> {
    const running = this.running.get(name);
    if (!running) return;
    signalGroup(running.child, "SIGTERM");
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), this.options.stopGraceMs ?? 5000)));
    if ((await Promise.race([running.exited, grace])) === "timeout") signalGroup(running.child, "SIGKILL");
    clearTimeout(timer);
    await running.exited;
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.running.keys()].map((name) => this.stop(name)));
  }
}

/** `agent --name ... -- <command...>`: the arguments after the launcher. */
export function agentArgs(template: PoolTemplate, name: string, dir: string): string[] {
  return [
    "agent",
    "--name",
    name,
    "--pool",
    template.name,
    "--workdir",
    dir,
    ...Object.entries(template.labels).flatMap(([k, v]) => ["--label", `${k}=${v}`]),
    "--input",
    template.input,
    ...(template.runTimeoutMs !== undefined ? ["--timeout", `${template.runTimeoutMs}ms`] : []),
    "--",
    ...template.command,
  ];
}
