import type { Logger } from "pino";

/** Options of RepeatedFailureLog. */
export interface RepeatedFailureLogOptions {
  /**
   * A failure this long after the previous one of the same key starts a new
   * episode (logged in full again); a quiet spell this long also ends an
   * episode with its summary.
   * @default 5000
   */
  readonly quietMs?: number;
  /**
   * During a long episode, a summary line at most this often.
   * @default 30000
   */
  readonly summaryEveryMs?: number;
  /** @default "warn" */
  readonly level?: "warn" | "error";
}

interface Episode {
  readonly started: number;
  last: number;
  /** Failures since the episode's first line or its last summary. */
  count: number;
  total: number;
  lastSummary: number;
  lastError: string;
  fields: Record<string, unknown>;
  timer?: NodeJS.Timeout;
}

/** One line for an error: its code and message, never its stack. */
export function describeFailure(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    const text = err.message || err.name;
    return `${typeof code === "string" && !text.includes(code) ? `${code}: ` : ""}${text}`.slice(0, 300);
  }
  return String(err).slice(0, 300);
}

/**
 * Keeps a failure that repeats (a heartbeat or a sweep during a database
 * outage) from flooding the log: the first failure of an episode is one line
 * (`"<what> failed: ECONNREFUSED ..."`, no stack); the ones after it are
 * counted and summarised (`"heartbeat failed 184 times in 22 s: ..."`) every
 * `summaryEveryMs`, when the failures stop for `quietMs`, or when
 * `succeeded()` says the thing works again. One instance per component;
 * `what` names the failing activity.
 */
export class RepeatedFailureLog {
  readonly #episodes = new Map<string, Episode>();
  readonly #quietMs: number;
  readonly #summaryEveryMs: number;
  readonly #level: "warn" | "error";

  constructor(
    private readonly logger: Logger,
    options: RepeatedFailureLogOptions = {},
  ) {
    this.#quietMs = options.quietMs ?? 5000;
    this.#summaryEveryMs = options.summaryEveryMs ?? 30_000;
    this.#level = options.level ?? "warn";
  }

  /** Records a failure of `what`: logged at once when it starts an episode, else counted. */
  failed(what: string, err: unknown, fields: Record<string, unknown> = {}): void {
    const now = Date.now();
    const error = describeFailure(err);
    let episode = this.#episodes.get(what);
    if (episode && now - episode.last >= this.#quietMs) {
      this.#end(what, episode, "then stopped failing");
      episode = undefined;
    }
    if (!episode) {
      this.#episodes.set(what, { started: now, last: now, count: 0, total: 1, lastSummary: now, lastError: error, fields });
      this.logger[this.#level]({ ...fields, error }, `${what} failed: ${error} (repeats are summarised)`);
      return;
    }
    episode.last = now;
    episode.count++;
    episode.total++;
    episode.lastError = error;
    episode.fields = fields;
    if (now - episode.lastSummary >= this.#summaryEveryMs) {
      this.#summarise(what, episode, "still failing");
      episode.count = 0;
      episode.lastSummary = now;
    }
    this.#armQuietTimer(what, episode);
  }

  /** `what` works again: ends its episode with a summary, if it had one. */
  succeeded(what: string): void {
    const episode = this.#episodes.get(what);
    if (episode) this.#end(what, episode, "recovered");
  }

  /** Ends every episode now (shutdown), with their summaries. */
  flush(): void {
    for (const [what, episode] of [...this.#episodes]) this.#end(what, episode, "stopped");
  }

  #armQuietTimer(what: string, episode: Episode): void {
    if (episode.timer) return;
    const check = () => {
      episode.timer = undefined;
      if (this.#episodes.get(what) !== episode) return;
      const idle = Date.now() - episode.last;
      if (idle >= this.#quietMs) this.#end(what, episode, "then stopped failing");
      else {
        episode.timer = setTimeout(check, this.#quietMs - idle);
        episode.timer.unref();
      }
    };
    episode.timer = setTimeout(check, this.#quietMs);
    episode.timer.unref();
  }

  #end(what: string, episode: Episode, how: string): void {
    clearTimeout(episode.timer);
    this.#episodes.delete(what);
    if (episode.total > 1) this.#summarise(what, episode, how);
    else if (how === "recovered") this.logger.info({ ...episode.fields }, `${what} recovered`);
  }

  #summarise(what: string, episode: Episode, how: string): void {
    const seconds = Math.max(1, Math.round((episode.last - episode.started) / 1000));
    this.logger[this.#level](
      { ...episode.fields, failures: episode.total, seconds, error: episode.lastError },
      `${what} failed ${episode.total} times in ${seconds} s: ${episode.lastError}; ${how}`,
    );
  }
}
