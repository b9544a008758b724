import { describe, expect, it } from "vitest";
import { agentKindOf, terminalLabels } from "./terminal-labels.js";
import { TerminalScreen } from "./terminal-screen.js";

describe("TerminalScreen", () => {
  it("splits output into lines across chunks, and shows the line being written last", () => {
    const screen = new TerminalScreen();
    screen.feed("hel");
    screen.feed("lo\r\nwor");
    expect(screen.lines()).toEqual(["hello", "wor"]);
    screen.feed("ld\r\n$ ");
    expect(screen.lines()).toEqual(["hello", "world", "$ "]);
    expect(screen.lines(2)).toEqual(["world", "$ "]);
    expect(screen.lineCount).toBe(2);
  });

  it("removes escape sequences, keeps the last state of a line rewritten with \\r, applies backspaces, and remembers the window title", () => {
    const screen = new TerminalScreen();
    screen.feed("\u001b]0;✳ Claude Code\u0007\u001b[?2004h\u001b[1;32mok\u001b[0m\r\n");
    screen.feed("10%\r50%\r100%\r\n");
    screen.feed("abx\bc\r\n");
    expect(screen.lines()).toEqual(["ok", "100%", "abc"]);
    expect(screen.title).toBe("✳ Claude Code");
  });

  it("keeps only the last `capacity` lines", () => {
    const screen = new TerminalScreen(120);
    for (let i = 1; i <= 200; i++) screen.feed(`line ${i}\n`);
    const lines = screen.lines();
    expect(lines).toHaveLength(120);
    expect(lines[0]).toBe("line 81");
    expect(lines.at(-1)).toBe("line 200");
  });
});

describe("terminal labels", () => {
  it("names the agent CLI a command runs, after assignments and a path; nothing for other commands", () => {
    expect(agentKindOf("claude")).toBe("claude");
    expect(agentKindOf("FOO=1 /usr/local/bin/codex exec -")).toBe("codex");
    expect(agentKindOf("bash")).toBe("");
    expect(agentKindOf("sh -c 'claude'")).toBe("");
  });

  it("marks a terminal, its worktree, its agent kind and title", () => {
    expect(terminalLabels({ worktree: "wt-1", agent: "gemini", title: "worker-1" })).toEqual({ terminal: "true", worktree: "wt-1", agent: "gemini", title: "worker-1" });
    expect(terminalLabels({ worktree: "wt-1", agent: "", title: "" })).toEqual({ terminal: "true", worktree: "wt-1" });
  });
});
