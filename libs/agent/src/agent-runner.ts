import type { Message } from "@orchestrator/contracts";
import type { Logger } from "pino";
import type { AgentActivity } from "./agent-activity.js";
import type { AgentDispatch } from "./agent-dispatch.js";
import type { AgentMcpWiring } from "./agent-mcp-wiring.js";
import type { AgentMailbox } from "./agent-mailbox.js";
import type { AgentPresence } from "./agent-presence.js";
import type { AgentStatus } from "./agent-status.js";
import { type AnswerMessage, type AnsweredDispatch, escalationAnswer, workerDoneAnswer } from "./answer-message.js";
import { extractResult } from "./extract-result.js";
import { formatDuration } from "./format-duration.js";
import { MalformedDispatchError } from "./malformed-dispatch-error.js";
import type { OutputRecord, OutputRing, OutputStream } from "./output-ring.js";
import { outputTail } from "./output-tail.js";
import { parseDispatchMessage } from "./parse-dispatch-message.js";
import { renderRunInput } from "./render-run-input.js";
import { type InputMode, runAgentCommand } from "./run-agent-command.js";
import { RunCapture } from "./run-capture.js";
import { type RunFailure, runFailure } from "./run-failure.js";

/** How long an answer is retried while the control plane is unreachable. */
const ANSWER_GIVE_UP_MS = 5 * 60_000;
/** ... and while shutting down: every answer still to send shares this much time. */
const SHUTDOWN_ANSWER_GIVE_UP_MS = 10_000;
/** ReportActivity details are at most this long. */
const MAX_DETAIL = 1024;

/** What an AgentRunner works with. */
export interface AgentRunnerDeps {
  readonly name: string;
  readonly command: readonly string[];
  /** Absolute; every run starts there. */
  readonly workdir: string;
  readonly inputMode: InputMode;
  /** Deadline of a run; a dispatch's own smaller timeoutMs wins. */
  readonly timeoutMs: number;
  /** Between SIGTERM and SIGKILL. @default 5000 */
  readonly killGraceMs?: number;
  readonly ring: OutputRing;
  readonly presence: AgentPresence;
  readonly mailbox: AgentMailbox;
  /** The environment of a run of `dispatch`. */
  readonly env: (dispatch: AgentDispatch) => NodeJS.ProcessEnv;
  /** Gives runs the orchestrator MCP server (configuration, flags, the tools in the input); none: the preamble's shell commands. */
  readonly mcp?: AgentMcpWiring;
  readonly logger: Logger;
  /** Sees every output line too (the CLI echoes them to its stdout). */
  readonly echo?: (record: OutputRecord) => void;
}

/**
 * The heart of `orchestrator agent`: turns dispatch messages into runs of
 * the agent command, one at a time, in arrival order. A run reports
 * `waiting`, takes the messages that arrived for the agent meanwhile and
 * puts them as banners before the dispatch text (push on idle), reports
 * `running`, runs the command, then answers the dispatch's reply-to handle
 * (`worker_done` with the output's JSON result on exit 0, an `escalation`
 * with `error` otherwise), reports `completed` or `error`, releases the
 * allocation `task:<id>`; `completed` or `error` stays until the next
 * dispatch's `waiting` (it is the agent's status, as in the worker status
 * protocol; the registry counts it as free for allocation).
 *
 * stop() ends it for shutdown: the running command is killed and every
 * dispatch taken and not finished gets an escalation with an error, so the
 * scheduler dispatches it elsewhere instead of waiting for its deadline.
 */
export class AgentRunner {
  private readonly queue: AgentDispatch[] = [];
  private draining: Promise<void> | undefined;
  /** Answers sent outside a run (see answerOutsideRuns), awaited by settled(). */
  private readonly detachedAnswers = new Set<Promise<void>>();
  private stopping = false;
  /** When answers stop being retried at shutdown. */
  private stopDeadline = 0;
  private runAbort: AbortController | undefined;
  private current: { dispatch: AgentDispatch; runStartedAt: Date | undefined } | undefined;
  private activity: AgentActivity = "idle";
  private detail = "";
  private runsCompleted = 0;
  private runsFailed = 0;
  private readonly startedAt = new Date();
  private readonly log: Logger;

  constructor(private readonly deps: AgentRunnerDeps) {
    this.log = deps.logger.child({ component: "agent-runner", agent: deps.name });
  }

  /** The activity to report now (after a re-registration, say), with its detail. */
  currentActivity(): { activity: AgentActivity; detail: string } {
    return { activity: this.activity, detail: this.detail };
  }

  status(): AgentStatus {
    return {
      activity: this.activity,
      detail: this.detail,
      taskId: this.current?.dispatch.taskId ?? "",
      dispatchId: this.current?.dispatch.dispatchId ?? "",
      queued: this.queue.length,
      runsCompleted: this.runsCompleted,
      runsFailed: this.runsFailed,
      startedAt: this.startedAt,
      runStartedAt: this.current?.runStartedAt,
    };
  }

  /** Takes a `dispatch` message: queued to run, or, when it cannot be read, answered with an escalation. */
  enqueue(message: Message): void {
    let dispatch: AgentDispatch;
    try {
      dispatch = parseDispatchMessage(message);
    } catch (error) {
      if (!(error instanceof MalformedDispatchError)) throw error;
      this.rejectMalformed(error);
      return;
    }
    if (this.stopping) {
      this.answerOutsideRuns(escalationAnswer(this.deps.name, dispatch, this.shutdownFailure(dispatch, "before the task started"), ""), this.shutdownBudget());
      return;
    }
    this.log.info({ task: dispatch.taskId, dispatch: dispatch.dispatchId, queued: this.queue.length }, "dispatch received");
    this.queue.push(dispatch);
    this.kick();
  }

  /** Resolves when nothing runs and nothing is queued. */
  async settled(): Promise<void> {
    while (this.draining || this.detachedAnswers.size > 0) {
      await this.draining;
      await Promise.all(this.detachedAnswers);
    }
  }

  /** Kills the running command and answers every unfinished dispatch with an escalation; resolves when they are sent. */
  async stop(): Promise<void> {
    if (!this.stopping) this.stopDeadline = Date.now() + SHUTDOWN_ANSWER_GIVE_UP_MS;
    this.stopping = true;
    this.runAbort?.abort();
    await this.settled();
  }

  /** Starts draining the queue unless it is being drained; a dispatch queued as a drain ends starts the next one. */
  private kick(): void {
    if (this.draining) return;
    this.draining = this.drain().finally(() => {
      this.draining = undefined;
      if (this.queue.length > 0) this.kick();
    });
  }

  private async drain(): Promise<void> {
    for (let d = this.queue.shift(); d; d = this.queue.shift()) {
      if (this.stopping) {
        await this.answer(escalationAnswer(this.deps.name, d, this.shutdownFailure(d, "before the task started"), ""), this.shutdownBudget());
        continue;
      }
      try {
        await this.run(d);
      } catch (error) {
        this.log.error({ err: error, task: d.taskId }, "run failed unexpectedly");
        const problem = `agent ${this.deps.name} could not run the task: ${error instanceof Error ? error.message : String(error)}`;
        await this.answer(escalationAnswer(this.deps.name, d, { error: problem, subject: `task ${d.taskId} failed: ${problem}` }, ""), ANSWER_GIVE_UP_MS);
        this.runsFailed++;
        this.setActivity("error", `task ${d.taskId}: ${problem}`);
        this.deps.presence.release(`task:${d.taskId}`);
        this.runAbort = undefined;
        this.current = undefined;
      }
    }
    // The last run's `completed` or `error` stays until the next dispatch (the worker status protocol); `idle` is only the state before the first.
  }

  private async run(d: AgentDispatch): Promise<void> {
    this.current = { dispatch: d, runStartedAt: undefined };
    this.setActivity("waiting", `task ${d.taskId}`);
    const messages = await this.deps.mailbox.takeMessages().catch((error: unknown) => {
      this.log.warn({ err: error }, "could not read the agent's messages; running without them");
      return [] as Message[];
    });
    const timeoutMs = Math.min(this.deps.timeoutMs, d.timeoutMs ?? Number.POSITIVE_INFINITY);
    const capture = new RunCapture();
    const abort = new AbortController();
    this.runAbort = abort;
    if (this.stopping) abort.abort();
    this.note(
      `run started: task ${d.taskId} (dispatch ${d.dispatchId}, attempt ${d.attempt}, timeout ${formatDuration(timeoutMs)})` +
        (messages.length > 0 ? `, ${messages.length} message${messages.length === 1 ? "" : "s"} injected` : ""),
      d.taskId,
    );
    this.current.runStartedAt = new Date();
    this.setActivity("running", `task ${d.taskId}`);
    const env = this.deps.env(d);
    const wired = this.deps.mcp?.forRun(this.deps.command, env, d);
    const exit = await runAgentCommand({
      command: wired?.command ?? this.deps.command,
      input: renderRunInput(wired ? `${d.text}\n${wired.guide}` : d.text, messages),
      inputMode: this.deps.inputMode,
      cwd: this.deps.workdir,
      env: wired?.env ?? env,
      timeoutMs,
      killGraceMs: this.deps.killGraceMs ?? 5000,
      signal: abort.signal,
      onLine: (stream, text) => {
        capture.add(stream, text);
        this.output(stream, text, d.taskId);
      },
    });
    this.runAbort = undefined;
    const failure = runFailure(exit, d.taskId, this.deps.name, timeoutMs);
    this.note(failure ? `run failed after ${formatDuration(exit.durationMs)}: ${failure.error}` : `run completed after ${formatDuration(exit.durationMs)}`, d.taskId);
    const tail = outputTail(capture.lines());
    const answer = failure
      ? escalationAnswer(this.deps.name, d, failure, tail)
      : workerDoneAnswer(this.deps.name, d, capture.hasStdout ? extractResult(capture.stdoutText()) : { summary: tail }, tail);
    await this.answer(answer, this.stopping ? this.shutdownBudget() : ANSWER_GIVE_UP_MS);
    if (failure) this.runsFailed++;
    else this.runsCompleted++;
    this.setActivity(failure ? "error" : "completed", `task ${d.taskId}: ${failure ? failure.error : "exit 0"}`);
    this.deps.presence.release(`task:${d.taskId}`);
    this.current = undefined;
  }

  private rejectMalformed(error: MalformedDispatchError): void {
    this.log.warn({ message: error.messageId, problem: error.problem, task: error.taskId ?? null }, "malformed dispatch message; not run");
    this.note(`ignored dispatch message ${error.messageId}: ${error.problem}`, "");
    if (!error.taskId || !error.replyTo) return;
    const d: AnsweredDispatch = { taskId: error.taskId, dispatchId: error.dispatchId ?? "", replyTo: error.replyTo };
    const failure: RunFailure = { error: `malformed dispatch: ${error.problem}`, subject: `task ${error.taskId} failed: malformed dispatch: ${error.problem}` };
    this.answerOutsideRuns(escalationAnswer(this.deps.name, d, failure, ""), ANSWER_GIVE_UP_MS);
  }

  /** What is left of the shutdown's time for answers (one attempt each once it is spent). */
  private shutdownBudget(): number {
    return Math.max(0, this.stopDeadline - Date.now());
  }

  private shutdownFailure(d: AnsweredDispatch, when: string): RunFailure {
    const error = `agent ${this.deps.name} shut down ${when}`;
    return { error, subject: `task ${d.taskId} failed: ${error}` };
  }

  /** Sends an answer that no run waits for (a dispatch refused while stopping, a malformed one); settled() waits for it. */
  private answerOutsideRuns(answer: AnswerMessage, giveUpAfterMs: number): void {
    const sending = this.answer(answer, giveUpAfterMs).finally(() => this.detachedAnswers.delete(sending));
    this.detachedAnswers.add(sending);
  }

  private async answer(answer: AnswerMessage, giveUpAfterMs: number): Promise<void> {
    try {
      await this.deps.mailbox.send(answer, { giveUpAfterMs });
      this.log.info({ to: answer.to, type: answer.type, thread: answer.threadId }, "answered the dispatch");
    } catch (error) {
      this.log.error({ err: error, to: answer.to, type: answer.type, thread: answer.threadId }, "could not deliver the answer; the dispatch will time out");
    }
  }

  private setActivity(activity: AgentActivity, detail: string): void {
    this.activity = activity;
    this.detail = detail.slice(0, MAX_DETAIL);
    this.deps.presence.report(activity, this.detail);
  }

  private note(text: string, taskId: string): void {
    this.output("agent", text, taskId);
  }

  private output(stream: OutputStream, text: string, taskId: string): void {
    const record = this.deps.ring.append(stream, text, taskId);
    this.deps.echo?.(record);
  }
}
