import type { Run, RunningTask, Task } from "@orchestrator/contracts";
import { useEffect, useRef, useState } from "react";
import { scheduler } from "../rpc/clients";
import { describeError } from "../rpc/describe-error";
import { useStream, type StreamStatus } from "../rpc/use-stream";

/** A run as the console shows it: the run (phase, counts), its running tasks and every task. */
export interface RunState {
  readonly run: Run | undefined;
  readonly running: readonly RunningTask[];
  readonly tasks: readonly Task[] | undefined;
  /** Bumped when `tasks` is replaced. */
  readonly tasksVersion: number;
  readonly status: StreamStatus;
  readonly error: string | undefined;
}

const PAGE = 10_000;

/**
 * A run, pushed: WatchRun sends a snapshot, then an event per committed
 * change (coalesced by the server while the reader is behind), then the
 * final phase. Each event reloads the run's tasks (ListTasks by run, in
 * pages of 10,000) so node colours follow; reloads never overlap, and
 * events that arrive during one cause a single reload after it. Nothing is
 * fetched on a timer.
 */
export function useRun(id: string, epoch: number): RunState {
  const [run, setRun] = useState<Run>();
  const [running, setRunning] = useState<readonly RunningTask[]>([]);
  const [tasks, setTasks] = useState<{ list: readonly Task[]; version: number }>();
  const [error, setError] = useState<string>();
  const loader = useRef({ busy: false, again: false, alive: true });

  useEffect(() => {
    loader.current = { busy: false, again: false, alive: true };
    setRun(undefined);
    setTasks(undefined);
    return () => {
      loader.current.alive = false;
    };
  }, [id, epoch]);

  const reloadTasks = async () => {
    const l = loader.current;
    if (l.busy) {
      l.again = true;
      return;
    }
    l.busy = true;
    try {
      do {
        l.again = false;
        const all: Task[] = [];
        let pageToken = "";
        do {
          const res = await scheduler.listTasks({ runId: id, limit: PAGE, pageToken });
          all.push(...res.tasks);
          pageToken = res.nextPageToken;
        } while (pageToken && l.alive);
        if (!l.alive) return;
        setTasks((prev) => ({ list: all, version: (prev?.version ?? 0) + 1 }));
        setError(undefined);
      } while (l.again && l.alive);
    } catch (err) {
      if (l.alive) setError(describeError(err));
    } finally {
      l.busy = false;
    }
  };

  const status = useStream(
    (signal) => scheduler.watchRun({ id }, { signal }),
    (ev) => {
      if (ev.run) setRun(ev.run);
      setRunning(ev.running);
      reloadTasks().catch((err: unknown) => setError(describeError(err)));
    },
    [id, epoch],
  );
  return { run, running, tasks: tasks?.list, tasksVersion: tasks?.version ?? 0, status, error };
}
