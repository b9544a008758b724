import type { Run, RunningTask } from "@orchestrator/contracts";

const STATUSES = ["pending", "ready", "dispatched", "completed", "failed", "blocked"] as const;

/** Elapsed time as `m:ss` (or `h:mm:ss`). */
export function formatElapsed(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const hh = Math.floor(s / 3600);
  const mm = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, "0");
  return hh > 0 ? `${hh}:${String(mm).padStart(2, "0")}:${ss}` : `${mm}:${ss}`;
}

/** The lines of the live progress view: the run and its phase, counts per status, the running tasks. */
export function renderProgress(run: Run, running: readonly RunningTask[], elapsedMs: number, width = 100): string[] {
  const counts = run.counts;
  const tally = STATUSES.map((s) => `${s} ${counts?.[s] ?? 0}`).join("  ");
  const shown = running.slice(0, 12).map((t) => `${t.key || t.taskId}@${t.instance}${t.attempt > 1 ? `#${t.attempt}` : ""}`);
  const more = running.length > shown.length ? ` +${running.length - shown.length} more` : "";
  const runningLine = `running: ${shown.join("  ") || "-"}${more}`;
  return [
    `run ${run.id}  ${run.status}  ${formatElapsed(elapsedMs)}  (max ${run.maxConcurrency} at once, ${counts?.total ?? 0} tasks${run.takeovers ? `, taken over ${run.takeovers}x` : ""})`,
    tally,
    runningLine.length > width ? `${runningLine.slice(0, width - 1)}…` : runningLine,
  ];
}

/**
 * A live view on a terminal: redraws its lines in place on every update and
 * every `refreshMs` (the elapsed time ticks; `run --poll-interval-ms`);
 * elsewhere one line per update.
 */
export class ProgressView {
  private drawn = 0;
  private last: { run: Run; running: readonly RunningTask[] } | undefined;
  private readonly timer: NodeJS.Timeout | undefined;
  private readonly tty: boolean;

  constructor(
    private readonly startedAt: number,
    private readonly out: NodeJS.WriteStream = process.stderr,
    refreshMs = 1000,
  ) {
    this.tty = Boolean(out.isTTY);
    if (this.tty) this.timer = setInterval(() => this.redraw(), refreshMs);
  }

  update(run: Run, running: readonly RunningTask[]): void {
    this.last = { run, running };
    if (this.tty) this.redraw();
    else this.out.write(`${renderProgress(run, running, Date.now() - this.startedAt, 10_000).join(" | ")}\n`);
  }

  /** Stops ticking; the last frame stays on screen. */
  close(): void {
    clearInterval(this.timer);
  }

  private redraw(): void {
    if (!this.last) return;
    const lines = renderProgress(this.last.run, this.last.running, Date.now() - this.startedAt, this.out.columns ?? 100);
    const up = this.drawn > 0 ? `\x1b[${this.drawn}A` : "";
    this.out.write(`${up}${lines.map((l) => `\r\x1b[2K${l}`).join("\n")}\n`);
    this.drawn = lines.length;
  }
}
