import { execFile } from "node:child_process";
import { chmodSync, chownSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { freePort } from "../support/free-port.js";

const run = promisify(execFile);

/** A Postgres cluster of the fault suite's own; see startScratchPostgres. */
export interface ScratchPostgres {
  /** postgres://postgres@127.0.0.1:PORT/postgres */
  readonly url: string;
  readonly port: number;
  /** `pg_ctl stop -m fast`: connections are terminated (57P01), then refused. */
  stop(): Promise<void>;
  /** `pg_ctl start -w`: back when it accepts connections. */
  start(): Promise<void>;
  /** stop, then start. */
  restart(): Promise<void>;
  /** Stops the cluster and removes its directory. */
  close(): Promise<void>;
}

/** The bin directory of the newest Postgres on this machine (Debian layout), else PATH. */
async function binDir(): Promise<string> {
  try {
    const { stdout } = await run("pg_config", ["--bindir"]);
    return stdout.trim();
  } catch {
    return "";
  }
}

/**
 * A throwaway Postgres cluster on a free port in a temporary directory
 * (initdb, trust auth on 127.0.0.1, fsync off), so the suite can stop and
 * restart it without disturbing the machine's main cluster that other tests
 * use. As root it runs as the `postgres` user (initdb refuses root).
 */
export async function startScratchPostgres(): Promise<ScratchPostgres> {
  const bin = await binDir();
  const tool = (name: string) => (bin ? join(bin, name) : name);
  const dir = mkdtempSync(join(tmpdir(), "orch-faults-pg-"));
  const data = join(dir, "data");
  const asRoot = process.getuid?.() === 0;
  const as = async (file: string, args: string[]) => {
    if (asRoot) return run("runuser", ["-u", "postgres", "--", file, ...args], { cwd: dir });
    return run(file, args, { cwd: dir });
  };
  if (asRoot) {
    const { stdout } = await run("id", ["-u", "postgres"]);
    const { stdout: gid } = await run("id", ["-g", "postgres"]);
    chownSync(dir, Number(stdout.trim()), Number(gid.trim()));
    chmodSync(dir, 0o700);
  }
  const port = await freePort();
  await as(tool("initdb"), ["-D", data, "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8"]);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
  const start = async () => {
    await as(tool("pg_ctl"), ["-D", data, "-o", options, "-l", join(dir, "log"), "-w", "-t", "60", "start"]);
  };
  const stop = async () => {
    await as(tool("pg_ctl"), ["-D", data, "-m", "fast", "-w", "-t", "60", "stop"]);
  };
  await start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    start,
    stop,
    restart: async () => {
      await stop();
      await start();
    },
    close: async () => {
      await stop().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
