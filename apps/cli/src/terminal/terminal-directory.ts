import { Code, ConnectError, type Client } from "@connectrpc/connect";
import { TERMINAL_LABEL, TITLE_LABEL } from "@orchestrator/agent";
import { AgentService, HealthService, type Instance } from "@orchestrator/contracts";
import { DomainError } from "@orchestrator/errors";
import { createServiceClient, toConnectError } from "@orchestrator/rpc";
import { WORKTREE_LABEL } from "@orchestrator/selector";
import type { Command } from "commander";
import { CLI_GRPC_CLIENT, clientFor, globalsOf } from "../global-options.js";
import { worktreeOf } from "./terminal-worktree.js";

/** A registered terminal and a client of its host. */
export interface TerminalRef {
  readonly instance: Instance;
  readonly client: Client<typeof AgentService>;
}

/** Whether an instance is a terminal (label `terminal=true`). */
export const isTerminal = (i: Instance): boolean => i.labels[TERMINAL_LABEL] === "true";

/** Registered terminals, by name; only those of worktree `worktree` when given. */
export async function listTerminals(command: Command, worktree?: string): Promise<Instance[]> {
  const { instances } = await clientFor(HealthService, command).listInstances({});
  return instances.filter((i) => isTerminal(i) && (worktree === undefined || i.labels[WORKTREE_LABEL] === worktree)).sort((a, b) => a.name.localeCompare(b.name));
}

/** A client of a terminal host, keyed and timed by the global options (`timeoutMs` overrides the deadline). */
export function terminalClient(instance: Instance, command: Command, timeoutMs?: number): TerminalRef {
  const g = globalsOf(command);
  const client = createServiceClient(AgentService, { address: instance.address, ...(g.apiKey ? { apiKey: g.apiKey } : {}), timeoutMs: timeoutMs ?? g.timeoutMs, grpcClient: CLI_GRPC_CLIENT });
  return { instance, client };
}

/**
 * The terminal a command acts on: `--terminal <handle>` (NOT_FOUND naming
 * the field when no terminal has that handle), else the one terminal of
 * the current directory's worktree (an error listing the candidates when
 * there are none or several).
 */
export async function resolveTerminal(command: Command, handle: string | undefined, timeoutMs?: number): Promise<TerminalRef> {
  if (handle !== undefined && handle.trim() !== "") return terminalClient(await findTerminal(command, handle.trim()), command, timeoutMs);
  const dir = worktreeOf(process.cwd());
  const worktree = dir.split("/").pop() ?? dir;
  const here = await listTerminals(command, worktree);
  if (here.length === 1) return terminalClient(here[0]!, command, timeoutMs);
  if (here.length === 0) {
    const all = await listTerminals(command);
    const elsewhere = all.length > 0 ? `; terminals elsewhere: ${all.map(describe).join(", ")}` : "";
    throw new Error(`no terminal in worktree "${worktree}" (${dir}): pass --terminal <handle>, or create one with \`orchestrator terminal create\`${elsewhere}`);
  }
  throw new Error(`${here.length} terminals in worktree "${worktree}": ${here.map(describe).join(", ")}; pass --terminal <handle>`);
}

/** The registered terminal named `handle`; NOT_FOUND (field `terminal`, reason `unknown_terminal`) otherwise. */
export async function findTerminal(command: Command, handle: string): Promise<Instance> {
  let instance: Instance | undefined;
  try {
    instance = (await clientFor(HealthService, command).getInstance({ name: handle })).instance;
  } catch (err) {
    const e = ConnectError.from(err);
    if (e.code !== Code.NotFound && e.code !== Code.InvalidArgument) throw err;
  }
  if (!instance) throw terminalNotFound(handle, `no terminal "${handle}" (see orchestrator terminal list)`);
  if (!isTerminal(instance)) throw terminalNotFound(handle, `"${handle}" is an instance, but no terminal (see orchestrator terminal list)`);
  return instance;
}

/** NOT_FOUND `unknown_terminal`, naming the field `terminal` (as a field violation too, so --json shows it). */
function terminalNotFound(handle: string, description: string): ConnectError {
  return toConnectError(new DomainError("not_found", "unknown_terminal", `terminal: ${description}`, { terminal: handle, field: "terminal" }, [{ field: "terminal", description }]));
}

function describe(i: Instance): string {
  const title = i.labels[TITLE_LABEL];
  return title ? `${i.name} (${title})` : i.name;
}
