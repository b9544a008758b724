/**
 * Shows that a long wait is alive: on a terminal, one stderr line with the
 * elapsed time, rewritten every second and erased at the end. Silent when
 * stderr is not a terminal (scripts, agents), so output stays parseable.
 */
export function showWaitProgress(what: string, timeoutMs: number): () => void {
  if (!process.stderr.isTTY) return () => {};
  const started = Date.now();
  const draw = () => {
    const s = Math.round((Date.now() - started) / 1000);
    process.stderr.write(`\r\x1b[2Kwaiting for ${what} (${s}s of ${Math.round(timeoutMs / 1000)}s, Ctrl-C to stop)`);
  };
  draw();
  const timer = setInterval(draw, 1000);
  return () => {
    clearInterval(timer);
    process.stderr.write("\r\x1b[2K");
  };
}
