import stripAnsi from "strip-ansi";
import { OutputRing } from "../output-ring.js";

/** A line longer than this is kept as a line of its own (a program that never writes a newline cannot grow memory). */
const MAX_LINE_CHARS = 16_384;
/** OSC 0/2: the window title a program sets (`ESC ] 0 ; title BEL`). */
const TITLE = /\u001b\][02];([^\u0007\u001b]*)(?:\u0007|\u001b\\)/g;

/**
 * What a terminal shows, as text: the output written on it split into lines,
 * the last `capacity` complete lines kept in an OutputRing (so TailOutput
 * and followers work as for an agent), plus the line being written (a
 * prompt). Escape sequences are removed, a carriage return starts the line
 * over (progress bars keep their last state), a backspace erases. The last
 * window title a program set is kept too.
 */
export class TerminalScreen {
  readonly ring: OutputRing;
  private partial = "";
  private lastTitle = "";
  private pasteMode = false;

  /** @param capacity lines kept @default 120 */
  constructor(capacity = 120) {
    this.ring = new OutputRing(capacity);
  }

  /** The window title the program set last ("" when none). */
  get title(): string {
    return this.lastTitle;
  }

  /** Whether the program asked for bracketed paste (`ESC [?2004h`, until `ESC [?2004l`): pasted text arrives marked, newlines included. */
  get bracketedPaste(): boolean {
    return this.pasteMode;
  }

  /** Complete lines written so far. */
  get lineCount(): number {
    return this.ring.lastSeq;
  }

  /** Takes output as it arrives (chunks may split lines and sequences anywhere). */
  feed(text: string): void {
    const on = text.lastIndexOf("\u001b[?2004h");
    const off = text.lastIndexOf("\u001b[?2004l");
    if (on !== off) this.pasteMode = on > off;
    this.partial += text;
    let newline = this.partial.indexOf("\n");
    while (newline >= 0) {
      this.ring.append("stdout", this.clean(this.partial.slice(0, newline)));
      this.partial = this.partial.slice(newline + 1);
      newline = this.partial.indexOf("\n");
    }
    if (this.partial.length > MAX_LINE_CHARS) {
      this.ring.append("stdout", this.clean(this.partial));
      this.partial = "";
    }
  }

  /** The last `count` lines, oldest first; the line being written is the last one when it shows anything. */
  lines(count = this.ring.capacity): string[] {
    if (count <= 0) return [];
    const current = this.clean(this.partial);
    const whole = this.ring.tail(current === "" ? count : count - 1).map((r) => r.text);
    return current === "" ? whole : [...whole, current];
  }

  /** One raw line as it reads on the screen. */
  private clean(raw: string): string {
    for (const m of raw.matchAll(TITLE)) this.lastTitle = m[1]!;
    let text = stripAnsi(raw.replace(TITLE, "")).replace(/\r+$/, "");
    const cr = text.lastIndexOf("\r");
    if (cr >= 0) text = text.slice(cr + 1);
    let out = "";
    for (const ch of text) {
      if (ch === "\b") out = out.slice(0, -1);
      else if (ch === "\t" || ch >= " ") out += ch;
    }
    return out;
  }
}
