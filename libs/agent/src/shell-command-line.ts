const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/**
 * Words as one POSIX shell command line: each word single-quoted unless it
 * is plainly safe, so `sh -c "$ORCHESTRATOR_CLI send ..."` runs exactly
 * these words (and a path without spaces also works unquoted).
 */
export function shellCommandLine(words: readonly string[]): string {
  return words.map((w) => (w !== "" && SAFE.test(w) ? w : `'${w.replaceAll("'", `'\\''`)}'`)).join(" ");
}
