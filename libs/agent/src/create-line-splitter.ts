import { StringDecoder } from "node:string_decoder";

/** Longest line kept whole, in characters; longer ones are cut into pieces of this size. */
export const MAX_LINE_CHARS = 16 * 1024;

/** Turns a byte stream into lines. */
export interface LineSplitter {
  /** Feeds bytes; complete lines go to the callback. */
  write(chunk: Buffer): void;
  /** Emits what is left (a last line without a newline). */
  end(): void;
}

/**
 * Splits UTF-8 output into lines (`\n` or `\r\n`; characters split across
 * chunks are kept whole). A line longer than `maxChars` is emitted in
 * pieces, so one runaway line cannot hold unbounded memory.
 */
export function createLineSplitter(onLine: (line: string) => void, maxChars = MAX_LINE_CHARS): LineSplitter {
  const decoder = new StringDecoder("utf8");
  let pending = "";
  const emit = (line: string) => {
    let rest = line.endsWith("\r") ? line.slice(0, -1) : line;
    while (rest.length > maxChars) {
      onLine(rest.slice(0, maxChars));
      rest = rest.slice(maxChars);
    }
    onLine(rest);
  };
  const push = (text: string) => {
    pending += text;
    let newline = pending.indexOf("\n");
    while (newline >= 0) {
      emit(pending.slice(0, newline));
      pending = pending.slice(newline + 1);
      newline = pending.indexOf("\n");
    }
    while (pending.length > maxChars) {
      onLine(pending.slice(0, maxChars));
      pending = pending.slice(maxChars);
    }
  };
  return {
    write(chunk) {
      push(decoder.write(chunk));
    },
    end() {
      push(decoder.end());
      if (pending !== "") emit(pending);
      pending = "";
    },
  };
}
