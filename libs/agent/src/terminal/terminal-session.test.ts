import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { waitFor } from "@orchestrator/testing";
import { afterEach, describe, expect, it } from "vitest";
import { TerminalExitedError } from "./terminal-exited-error.js";
import { TerminalSession } from "./terminal-session.js";

const dir = mkdtempSync(join(tmpdir(), "terminal-session-"));
const sessions: TerminalSession[] = [];

function start(command: string): TerminalSession {
  const session = new TerminalSession({
    name: "term_test",
    title: "",
    command,
    workdir: dir,
    worktree: basename(dir),
    agent: "",
    splitFrom: "",
    direction: "",
    env: { PATH: process.env.PATH, HOME: dir, PS1: "ready$ ", TERM: "dumb" },
  });
  sessions.push(session);
  return session;
}

afterEach(async () => {
  for (const s of sessions.splice(0)) await s.stop(500);
});

describe("TerminalSession (a real pseudo-terminal through util-linux script)", () => {
  it("gives the command a tty, types input with Enter, and shows the answer", async () => {
    const s = start("sh -c 'tty; read x; echo got:$x'");
    await waitFor("the tty line", () => s.read(0).some((l) => l.startsWith("/dev/pts/")));
    expect(s.send("hello", true)).toBe(6);
    await waitFor("the answer", () => s.read(0).includes("got:hello"));
    expect((await s.wait("exit", 10_000)).outcome).toBe("exit");
    expect(s.info()).toMatchObject({ status: "exited", exitCode: 0, idle: false });
  });

  it("waits for tui-idle: output, then quiet; an exit ends it; a timeout says so", async () => {
    const s = start("bash --norc --noprofile -i");
    expect((await s.wait("tui-idle", 10_000, 200)).outcome).toBe("tui-idle");
    s.send("echo one; sleep 0.2; echo two", true);
    expect(s.isIdle(200)).toBe(false);
    // Quiet for much longer than the pause between the two lines: idle comes after both.
    expect((await s.wait("tui-idle", 20_000, 2500)).outcome).toBe("tui-idle");
    expect(s.read(0)).toEqual(expect.arrayContaining(["one", "two"]));
    s.send("sleep 30", true);
    expect(await s.wait("exit", 300)).toMatchObject({ outcome: "timeout" });
    s.send("\u0003exit 3", true);
    expect((await s.wait("tui-idle", 10_000, 60_000)).outcome).toBe("exit");
    expect(s.info()).toMatchObject({ status: "exited", exitCode: 3 });
    expect(() => s.send("more", true)).toThrow(TerminalExitedError);
  });

  it("stop hangs the terminal up: an interactive shell and its job end", async () => {
    const s = start("bash --norc --noprofile -i");
    await s.wait("tui-idle", 10_000, 200);
    s.send("sleep 600", true);
    await s.stop(2000);
    expect(s.info().status).toBe("exited");
    expect(s.info().exitCode).toBeGreaterThan(128);
  });
});
