import { resolveSelectors } from "@orchestrator/selector";
import type { InstanceView } from "./instance-view.js";
import type { RoutableInstance } from "./routable-instance.js";

/** Most selector lists kept per view version; past it the cache starts over (a caller sending ever new lists cannot grow it). */
const MAX_ENTRIES = 1024;

/**
 * Selector lists resolved against the instance view (and what a service
 * derives from the result), kept until the view changes: selectors are
 * parsed and matched once per list per instance change, not per call. A
 * list that fails to resolve is not kept; its error is raised again.
 */
export class SelectorCache<R> {
  private list: readonly RoutableInstance[] | undefined;
  private readonly entries = new Map<string, R>();

  /**
   * @param field request field of the selector list, for error messages.
   * @param derive what the caller keeps of the resolved instances.
   */
  constructor(
    private readonly view: InstanceView,
    private readonly field: string,
    private readonly derive: (selected: RoutableInstance[]) => R,
  ) {}

  /** What `derive` made of `texts` resolved against the current view. */
  resolve(texts: readonly string[]): R {
    const list = this.view.list(); // the same array until the view changes
    if (list !== this.list) {
      this.entries.clear();
      this.list = list;
    }
    const key = texts.length === 1 ? texts[0]! : texts.join("\u0000");
    let entry = this.entries.get(key);
    if (entry === undefined) {
      entry = this.derive(resolveSelectors(texts, list, { field: this.field }));
      if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
      this.entries.set(key, entry);
    }
    return entry;
  }
}
