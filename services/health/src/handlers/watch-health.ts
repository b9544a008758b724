import { create } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { HealthState, WatchHealthResponseSchema, type WatchHealthResponse } from "@orchestrator/contracts";
import { matches, parseSelector, type Selector } from "@orchestrator/selector";
import { pushable } from "it-pushable";
import type { InstanceEvent, InstanceEvents } from "../instances/instance-events.js";
import type { InstanceRegistry } from "../instances/instance-registry.service.js";
import { healthStateToProto, instanceToProto } from "./instance-to-proto.js";

/** Events a slow watcher may fall behind by before it is cut off. */
const MAX_BACKLOG = 10_000;

/**
 * WatchHealth: subscribes first (so nothing committed meanwhile is missed),
 * sends the snapshot of the selected instances, then every change that
 * matches the selectors. A watcher that falls MAX_BACKLOG events behind is
 * ended with RESOURCE_EXHAUSTED rather than growing memory without bound.
 */
export async function* watchHealth(
  registry: InstanceRegistry,
  events: InstanceEvents,
  selectorTexts: readonly string[],
  signal: AbortSignal,
): AsyncGenerator<WatchHealthResponse> {
  const selectors: Selector[] = selectorTexts.map((t, i) => parseSelector(t, `instances[${i}]`));
  const queue = pushable<InstanceEvent>({ objectMode: true });
  const unsubscribe = events.subscribe((event) => {
    if (queue.readableLength >= MAX_BACKLOG) {
      queue.end(new ConnectError("watcher fell too far behind", Code.ResourceExhausted));
      return;
    }
    queue.push(event);
  });
  const onAbort = () => queue.end();
  signal.addEventListener("abort", onAbort, { once: true });
  try {
    const last = new Map<string, HealthState>();
    for (const instance of await registry.list(selectorTexts, "instances")) {
      last.set(instance.name, healthStateToProto(instance.health));
      yield create(WatchHealthResponseSchema, { instance: instanceToProto(instance), snapshot: true });
    }
    for await (const { instance, removed } of queue) {
      if (selectors.length > 0 && !selectors.some((s) => matches(s, instance))) continue;
      const previous = last.get(instance.name) ?? HealthState.UNSPECIFIED;
      if (removed) last.delete(instance.name);
      else last.set(instance.name, healthStateToProto(instance.health));
      yield create(WatchHealthResponseSchema, { instance: instanceToProto(instance), previousHealth: previous, removed });
    }
  } finally {
    unsubscribe();
    signal.removeEventListener("abort", onAbort);
    queue.end();
  }
}
