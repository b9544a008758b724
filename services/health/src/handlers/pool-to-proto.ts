import { create } from "@bufbuild/protobuf";
import { DurationSchema, type Duration } from "@bufbuild/protobuf/wkt";
import { PoolSchema, type Pool } from "@orchestrator/contracts";
import type { PoolView } from "../pools/pool-directory.service.js";
import { instanceToProto } from "./instance-to-proto.js";

/** Domain pool view → wire message. */
export function poolToProto(view: PoolView): Pool {
  const t = view.template;
  return create(PoolSchema, {
    name: t.name,
    provisioner: view.provisioner,
    repo: t.repo,
    min: t.min,
    max: t.max,
    idleShutdown: msToDuration(t.idleShutdownMs),
    members: view.members.map(instanceToProto),
    provisioning: [...view.provisioning],
    source: view.source,
    command: [...t.command],
  });
}

/** google.protobuf.Duration → milliseconds; undefined when absent. */
export function durationToMs(d: Duration | undefined): number | undefined {
  return d === undefined ? undefined : Number(d.seconds) * 1000 + Math.round(d.nanos / 1e6);
}

function msToDuration(ms: number): Duration {
  const seconds = Math.floor(ms / 1000);
  return create(DurationSchema, { seconds: BigInt(seconds), nanos: (ms - seconds * 1000) * 1e6 });
}
