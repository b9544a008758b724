/** Characters of standard output kept per run for the result (the JSON block is at the end). */
const STDOUT_CHARS = 1024 * 1024;
/** Lines of combined output kept per run for the tail an answer carries. */
const TAIL_LINES = 200;

/**
 * One run's output, bounded: the last megabyte of standard output (where
 * the result is looked for) and the last lines of both streams (the tail
 * an answer's body shows). What the ring holds is for people and may be
 * shorter than a run.
 */
export class RunCapture {
  private readonly stdout: string[] = [];
  private stdoutChars = 0;
  private readonly combined: string[] = [];

  add(stream: "stdout" | "stderr", text: string): void {
    this.combined.push(text);
    if (this.combined.length > TAIL_LINES) this.combined.shift();
    if (stream !== "stdout") return;
    this.stdout.push(text);
    this.stdoutChars += text.length + 1;
    while (this.stdoutChars > STDOUT_CHARS && this.stdout.length > 1) {
      this.stdoutChars -= this.stdout.shift()!.length + 1;
    }
  }

  /** Standard output, as text (its last megabyte). */
  stdoutText(): string {
    return this.stdout.join("\n");
  }

  /** Whether the command wrote anything to standard output. */
  get hasStdout(): boolean {
    return this.stdout.length > 0;
  }

  /** The last lines of both streams, in the order written. */
  lines(): readonly string[] {
    return this.combined;
  }
}
