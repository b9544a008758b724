import type { OutputLine } from "@orchestrator/contracts";
import { useEffect, useRef, useState } from "react";
import { agents } from "../rpc/clients";
import { useStream } from "../rpc/use-stream";
import { StreamBadge } from "../shared/stream-badge";

const KEEP = 2000;

/** An agent's terminal, live: AgentService TailOutput (follow), relayed by the control plane to the agent. */
export function AgentTail({ name, epoch }: { name: string; epoch: number }) {
  const [lines, setLines] = useState<OutputLine[]>([]);
  const box = useRef<HTMLPreElement>(null);
  const status = useStream(
    (signal) => agents.tailOutput({ lines: 500, follow: true }, { signal, headers: { "x-orchestrator-agent": name } }),
    (res) => setLines((prev) => [...prev, ...res.lines].slice(-KEEP)),
    [name, epoch],
    () => setLines([]),
  );
  useEffect(() => {
    const el = box.current;
    if (el && el.scrollHeight - el.scrollTop - el.clientHeight < 80) el.scrollTop = el.scrollHeight;
  }, [lines]);
  return (
    <section className="agent-tail">
      <h3>
        Output <StreamBadge status={status} />
      </h3>
      <pre ref={box} className="terminal" data-testid="agent-tail">
        {lines.length === 0 ? <span className="muted">no output yet</span> : lines.map((l) => <div key={String(l.seq)} className={`out-${l.stream}`}>{l.text}</div>)}
      </pre>
    </section>
  );
}
