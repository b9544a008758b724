import { InvalidArgumentError } from "@orchestrator/errors";
import type { RoutableInstance } from "../instances/routable-instance.js";
import type { FanoutInput } from "./fanout-types.js";

/**
 * The request rules that need the resolved targets: `quorum` only with
 * `aggregate: quorum`, where it is required and at most the number of
 * targets; every `payloads` key must be a target. Throws
 * InvalidArgumentError naming the field.
 */
export function checkFanoutInput(input: FanoutInput, targets: readonly RoutableInstance[]): void {
  checkQuorum(input, targets.length);
  checkPayloads(input, targets);
}

function checkQuorum(input: FanoutInput, targets: number): void {
  if (input.aggregate !== "quorum") {
    if (input.quorum !== 0) throw new InvalidArgumentError("quorum", `only applies with aggregate "quorum" (aggregate is "${input.aggregate}")`);
    return;
  }
  if (input.quorum < 1) throw new InvalidArgumentError("quorum", `is required with aggregate "quorum": 1 to the number of targets (${targets})`);
  if (input.quorum > targets) throw new InvalidArgumentError("quorum", `must be at most the number of targets (${targets}), got ${input.quorum}`);
}

function checkPayloads(input: FanoutInput, targets: readonly RoutableInstance[]): void {
  const names = new Set(targets.map((t) => t.name));
  for (const name of Object.keys(input.payloads)) {
    if (!names.has(name)) throw new InvalidArgumentError(`payloads[${JSON.stringify(name)}]`, `"${name}" is not one of the targets`);
  }
}
