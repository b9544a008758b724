import { startPtyProcess, type PtyExit, type PtyProcess } from "./pty-process.js";
import { TerminalExitedError } from "./terminal-exited-error.js";
import { TerminalScreen } from "./terminal-screen.js";

/** What a terminal runs, and where. */
export interface TerminalSpec {
  /** Its handle (instance name). */
  readonly name: string;
  readonly title: string;
  /** A shell command line. */
  readonly command: string;
  readonly workdir: string;
  /** The worktree id (the workdir's last part). */
  readonly worktree: string;
  /** The agent CLI it runs (`claude`, ...), else "". */
  readonly agent: string;
  /** The terminal it was split from, and the direction asked; "" when created. */
  readonly splitFrom: string;
  readonly direction: string;
  /** The command's environment. */
  readonly env: NodeJS.ProcessEnv;
}

/** A terminal as GetTerminal shows it. */
export interface TerminalInfo extends Omit<TerminalSpec, "env"> {
  readonly status: "running" | "exited";
  readonly pid: number;
  readonly hostPid: number;
  /** Meaningful once exited. */
  readonly exitCode: number;
  readonly idle: boolean;
  readonly startedAt: Date;
  readonly exitedAt: Date | undefined;
  readonly lastOutputAt: Date | undefined;
  readonly lines: number;
}

/** What WaitTerminal waits for. */
export type WaitCondition = "exit" | "tui-idle";

/** How a wait ended. */
export interface WaitResult {
  readonly outcome: WaitCondition | "timeout";
  readonly waitedMs: number;
}

/** Quiet period of `tui-idle` when none is given. */
export const DEFAULT_QUIET_MS = 1000;
/** Between a paste and its Enter. */
const PASTE_ENTER_DELAY_MS = 150;

/**
 * One terminal: its command on a pseudo-terminal (startPtyProcess), the
 * screen (TerminalScreen, the last 120 lines), and the state waits are
 * made of: when it last wrote output, when it was last typed into, how it
 * exited. `tui-idle` means the command has written output and nothing has
 * happened on the terminal (no output, no input) for a quiet period: a TUI
 * that booted and shows its prompt, a shell that finished a command.
 */
export class TerminalSession {
  private readonly screen: TerminalScreen;
  private readonly pty: PtyProcess;
  private readonly listeners = new Set<() => void>();
  private exit: PtyExit | undefined;
  private exitedAt: Date | undefined;
  private lastOutputAt: number | undefined;
  private lastInputAt = 0;
  readonly startedAt = new Date();

  constructor(
    readonly spec: TerminalSpec,
    options: { capacity?: number; rows?: number; cols?: number } = {},
  ) {
    this.screen = new TerminalScreen(options.capacity ?? 120);
    this.pty = startPtyProcess({
      command: spec.command,
      cwd: spec.workdir,
      env: spec.env,
      ...(options.rows ? { rows: options.rows } : {}),
      ...(options.cols ? { cols: options.cols } : {}),
      onData: (text) => {
        this.screen.feed(text);
        this.lastOutputAt = Date.now();
        this.changed();
      },
    });
    this.pty.exited.then(
      (exit) => {
        this.exit = exit;
        this.exitedAt = new Date();
        this.changed();
      },
      () => undefined, // never rejects
    );
  }

  /** The output ring (complete lines), for TailOutput. */
  get ring(): TerminalScreen["ring"] {
    return this.screen.ring;
  }

  /** Resolves with the exit once the command has exited. */
  get exited(): Promise<PtyExit> {
    return this.pty.exited;
  }

  info(now = Date.now()): TerminalInfo {
    const { env: _env, ...spec } = this.spec;
    return {
      ...spec,
      status: this.exit ? "exited" : "running",
      pid: this.pty.pid,
      hostPid: process.pid,
      exitCode: this.exit?.code ?? 0,
      idle: !this.exit && this.isIdle(DEFAULT_QUIET_MS, now),
      startedAt: this.startedAt,
      exitedAt: this.exitedAt,
      lastOutputAt: this.lastOutputAt === undefined ? undefined : new Date(this.lastOutputAt),
      lines: this.screen.lineCount,
    };
  }

  /** The last `count` lines of the screen (all kept when 0). */
  read(count: number): string[] {
    return this.screen.lines(count === 0 ? undefined : count);
  }

  /** Types `text`, then Enter; returns the bytes written. Throws TerminalExitedError once the command has exited. */
  send(text: string, enter: boolean): number {
    if (this.exit) throw new TerminalExitedError(this.spec.name, this.exit.code);
    const data = enter ? `${text}\r` : text;
    this.pty.write(data);
    this.lastInputAt = Date.now();
    this.changed();
    return Buffer.byteLength(data);
  }

  /**
   * Pastes `text` as one input, then presses Enter: marked as a bracketed
   * paste when the program asked for it (a TUI takes the newlines as part
   * of the text), else with its line breaks as spaces (a newline would
   * submit early). Throws TerminalExitedError once the command has exited.
   */
  async paste(text: string): Promise<void> {
    this.send(this.screen.bracketedPaste ? `\u001b[200~${text}\u001b[201~` : text.replace(/\r?\n/g, " "), false);
    // Enter as a key of its own, after the paste: some TUIs take an Enter inside the paste's chunk as text.
    await new Promise((r) => setTimeout(r, PASTE_ENTER_DELAY_MS));
    this.send("", true);
  }

  /** Whether the screen is idle: output seen, then nothing on the terminal for `quietMs`. */
  isIdle(quietMs: number, now = Date.now()): boolean {
    const at = this.idleAt(quietMs);
    return at !== undefined && now >= at;
  }

  /** When the screen is (or becomes, if nothing happens meanwhile) idle; undefined before any output. */
  idleAt(quietMs: number): number | undefined {
    return this.lastOutputAt === undefined ? undefined : Math.max(this.lastOutputAt, this.lastInputAt) + quietMs;
  }

  /**
   * Waits for `condition` for at most `timeoutMs` (an exit ends a wait for
   * `tui-idle` too). Woken by output, input and the exit; the only timer is
   * the end of the quiet period or of the wait. An aborted `signal` ends it
   * as a timeout.
   */
  async wait(condition: WaitCondition, timeoutMs: number, quietMs = DEFAULT_QUIET_MS, signal?: AbortSignal): Promise<WaitResult> {
    const started = Date.now();
    const deadline = started + timeoutMs;
    for (;;) {
      const now = Date.now();
      if (this.exit) return { outcome: "exit", waitedMs: now - started };
      if (condition === "tui-idle" && this.isIdle(quietMs, now)) return { outcome: "tui-idle", waitedMs: now - started };
      if (now >= deadline || signal?.aborted) return { outcome: "timeout", waitedMs: now - started };
      const quietEnds = (condition === "tui-idle" ? this.idleAt(quietMs) : undefined) ?? deadline;
      await this.nextChange(Math.min(deadline, quietEnds) - now, signal);
    }
  }

  /** Ends the command (see PtyProcess.hangUp); an exited terminal is left as it is. */
  async stop(graceMs: number): Promise<void> {
    if (!this.exit) await this.pty.hangUp(graceMs);
  }

  /** Calls `listener` after every output, input and the exit; returns the unsubscribe. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }

  private nextChange(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        unsubscribe();
        signal?.removeEventListener("abort", done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, ms));
      const unsubscribe = this.onChange(done);
      signal?.addEventListener("abort", done, { once: true });
    });
  }
}
