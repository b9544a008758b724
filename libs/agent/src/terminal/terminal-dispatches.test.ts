import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { create } from "@bufbuild/protobuf";
import { createClient, createRouterTransport } from "@connectrpc/connect";
import { CheckResponseSchema, MailboxService, MarkReadResponseSchema, SendResponseSchema, type Message, type SendRequest } from "@orchestrator/contracts";
import { testLogger, waitFor } from "@orchestrator/testing";
import { afterEach, describe, expect, it } from "vitest";
import { testDispatch } from "../test-messages.js";
import { startTerminalDispatches, type TerminalDispatches } from "./terminal-dispatches.js";
import { TerminalSession } from "./terminal-session.js";

const dir = mkdtempSync(join(tmpdir(), "terminal-dispatches-"));
/** A line-reading "TUI" that asks for bracketed paste and answers every line it reads. */
const FAKE_TUI = `sh -c 'printf "\\033[?2004h> "; while IFS= read -r l; do printf "got:%s\\n> " "$l"; done'`;
const running: Array<{ session: TerminalSession; dispatches: TerminalDispatches }> = [];

/** A MailboxService holding `pending` dispatches for one Check, recording what is sent. */
function fakeMailbox(pending: Message[]) {
  const sent: SendRequest[] = [];
  const transport = createRouterTransport((router) =>
    router.service(MailboxService, {
      async check(_req, context) {
        if (pending.length > 0) return create(CheckResponseSchema, { messages: pending.splice(0) });
        await new Promise((resolve) => context.signal.addEventListener("abort", resolve));
        return create(CheckResponseSchema, {});
      },
      markRead: () => create(MarkReadResponseSchema, {}),
      send(req) {
        sent.push(req);
        return create(SendResponseSchema, {});
      },
    }),
  );
  return { client: createClient(MailboxService, transport), sent };
}

function start(command: string, agent: string, pending: Message[]) {
  const session = new TerminalSession({ name: "term_disp", title: "", command, workdir: dir, worktree: basename(dir), agent, splitFrom: "", direction: "", env: { PATH: process.env.PATH } });
  const mailbox = fakeMailbox(pending);
  const dispatches = startTerminalDispatches({ session, client: mailbox.client, logger: testLogger() });
  running.push({ session, dispatches });
  return { session, sent: mailbox.sent };
}

afterEach(async () => {
  for (const r of running.splice(0)) {
    await r.dispatches.stop();
    await r.session.stop(500);
  }
});

describe("dispatches to a terminal", () => {
  it("an agent's terminal gets the dispatch typed in once its screen is idle, as one paste and Enter", async () => {
    const { session, sent } = start(FAKE_TUI, "claude", [testDispatch("t1", "fix the login button")]);
    // The last line of the task reaches the program only with the Enter that follows the paste.
    await waitFor("the agent read the whole task", () => session.read(0).includes("got:fix the login button"));
    const screen = session.read(0);
    // One paste, marked as such (the terminal echoes ESC as ^[): its start before the first line, its end after the last.
    expect(screen[0]).toBe("> ^[[200~You are kite-1. PREAMBLE for t1.");
    expect(screen.some((l) => l.startsWith("fix the login button^[[201~"))).toBe(true);
    expect(sent).toEqual([]);
  });

  it("a terminal running no agent CLI refuses at once with an escalation carrying an error (a failed attempt)", async () => {
    const { session, sent } = start("bash --norc --noprofile -i", "", [testDispatch("t2", "rm -rf /")]);
    const refusal = await waitFor("the refusal", () => sent[0]);
    expect(refusal).toMatchObject({ to: "scheduler", from: "term_disp", type: "escalation", threadId: "d-t2" });
    expect(JSON.parse(refusal.payload)).toMatchObject({ task: "t2", dispatch: "d-t2", error: expect.stringContaining("runs no agent CLI") });
    expect(session.read(0).join("\n")).not.toContain("rm -rf");
  });
});
