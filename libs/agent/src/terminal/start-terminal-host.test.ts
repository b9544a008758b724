import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { Code, ConnectError } from "@connectrpc/connect";
import { AgentService } from "@orchestrator/contracts";
import { createServiceClient, errorReason, fieldViolations } from "@orchestrator/rpc";
import { freePort, testLogger } from "@orchestrator/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTerminalHost, type RunningTerminalHost } from "./start-terminal-host.js";

/**
 * The terminal host's AgentService on a real server (validation and error
 * mapping included). No control plane answers: the host retries its
 * registration in the background and serves all the same.
 */
const workdir = mkdtempSync(join(tmpdir(), "terminal-host-"));
let host: RunningTerminalHost;
const client = () => createServiceClient(AgentService, { address: host.address, timeoutMs: 20_000 });

async function rejection(p: Promise<unknown>): Promise<ConnectError> {
  try {
    await p;
  } catch (err) {
    return ConnectError.from(err);
  }
  throw new Error("expected a rejection");
}

beforeAll(async () => {
  host = await startTerminalHost({
    name: "term_unit",
    title: "unit",
    command: "sh -c 'echo ready; read x; echo got:$x; exit 7'",
    workdir,
    controlPlane: `127.0.0.1:${await freePort()}`,
    env: { PATH: process.env.PATH },
    heartbeatIntervalMs: 60_000,
    logger: testLogger(),
  });
});
afterAll(async () => {
  await host?.close();
});

describe("terminal host", () => {
  it("GetTerminal and GetAgentStatus describe the terminal", async () => {
    const { terminal } = await client().getTerminal({});
    expect(terminal).toMatchObject({ name: "term_unit", title: "unit", worktree: basename(workdir), workdir, status: "running", agent: "", hostPid: process.pid });
    expect(terminal!.pid).toBeGreaterThan(0);
    const status = await client().getAgentStatus({});
    expect(status).toMatchObject({ name: "term_unit", pool: "terminals", command: ["sh -c 'echo ready; read x; echo got:$x; exit 7'"], workdir });
  });

  it("refuses bad input, naming the field: an unknown wait condition, too many lines", async () => {
    const bogus = await rejection(client().waitTerminal({ for: "bogus" }));
    expect(bogus.code).toBe(Code.InvalidArgument);
    expect(fieldViolations(bogus)[0]?.field).toBe("for");
    const none = await rejection(client().waitTerminal({}));
    expect(fieldViolations(none)[0]?.field).toBe("for");
    const lines = await rejection(client().readTerminal({ lines: 121 }));
    expect(fieldViolations(lines)[0]?.field).toBe("lines");
  });

  it("runs the command to its exit: input answered, the exit code kept, and input after it is FAILED_PRECONDITION", async () => {
    expect((await client().waitTerminal({ for: "tui-idle", timeoutMs: 20_000, quietMs: 100 })).outcome).toBe("tui-idle");
    await client().sendInput({ text: "hi", enter: true });
    const waited = await client().waitTerminal({ for: "exit", timeoutMs: 20_000 });
    expect(waited).toMatchObject({ outcome: "exit", terminal: { status: "exited", exitCode: 7 } });
    expect((await client().readTerminal({})).lines).toEqual(["ready", "hi", "got:hi"]);
    const late = await rejection(client().sendInput({ text: "more", enter: true }));
    expect(late.code).toBe(Code.FailedPrecondition);
    expect(errorReason(late)).toBe("terminal_exited");
  });

  it("CloseTerminal answers, then the host ends", async () => {
    const closed = await client().closeTerminal({});
    expect(closed.terminal!.status).toBe("exited");
    await host.ended;
  });
});
