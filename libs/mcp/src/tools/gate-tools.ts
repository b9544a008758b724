import { create, toJson } from "@bufbuild/protobuf";
import { DurationSchema } from "@bufbuild/protobuf/wkt";
import { CreateGateRequestSchema, GateSchema, ResolveGateRequestSchema, TaskSchema } from "@orchestrator/contracts";
import { objectSchema } from "../schema/json-schema.js";
import { protoFieldSchema as field } from "../schema/proto-field-schema.js";
import type { OrchestratorTool } from "./orchestrator-tool.js";

/** `gate_create`: a decision gate that blocks a task until it is resolved. */
export const gateCreateTool: OrchestratorTool = {
  name: "gate_create",
  title: "Open a decision gate",
  description:
    "Open a human decision gate on a task: the task is blocked (a live dispatch of it is closed) until the gate is resolved or times out; a decision_gate message goes to whoever decides. The resolution reaches the task's next dispatch.",
  inputSchema: objectSchema(
    {
      task_id: field(CreateGateRequestSchema, "task_id", "The task the gate blocks."),
      question: field(CreateGateRequestSchema, "question", "What to decide."),
      options: field(CreateGateRequestSchema, "options", "The choices; any text resolves a gate without options."),
      default_option: field(CreateGateRequestSchema, "default_option", "Applied when the gate times out; one of options."),
      timeout_seconds: field(CreateGateRequestSchema, "timeout", "Seconds until the gate times out; never when absent."),
      notify: field(CreateGateRequestSchema, "notify", "Handle the decision_gate message goes to; default: the configured one."),
    },
    ["task_id", "question"],
  ),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  async call(a, ctx) {
    const timeout = a["timeout_seconds"] as number | undefined;
    const res = await ctx.clients.scheduler.createGate(
      {
        taskId: a["task_id"] as string,
        question: a["question"] as string,
        options: (a["options"] as string[] | undefined) ?? [],
        defaultOption: (a["default_option"] as string | undefined) ?? "",
        notify: (a["notify"] as string | undefined) ?? "",
        ...(timeout !== undefined ? { expiry: { case: "timeout" as const, value: create(DurationSchema, { seconds: BigInt(timeout) }) } } : {}),
      },
      ctx.callOptions,
    );
    return { gate: res.gate ? toJson(GateSchema, res.gate) : null, task: res.task ? toJson(TaskSchema, res.task) : null };
  },
};

/** `gate_resolve`: decides a pending gate; its task is released when no other gate holds it. */
export const gateResolveTool: OrchestratorTool = {
  name: "gate_resolve",
  title: "Resolve a decision gate",
  description: "Decide a pending gate. When it was the task's last pending gate, the task becomes ready again (or pending while dependencies remain) and its next dispatch carries the decision.",
  inputSchema: objectSchema(
    {
      id: field(ResolveGateRequestSchema, "id", "The gate id (g-…)."),
      resolution: field(ResolveGateRequestSchema, "resolution", "The decision; one of the gate's options when it has any."),
    },
    ["id", "resolution"],
  ),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  async call(a, ctx) {
    const res = await ctx.clients.scheduler.resolveGate(
      { id: a["id"] as string, resolution: a["resolution"] as string, resolvedBy: ctx.identity.handle ?? "" },
      ctx.callOptions,
    );
    return { gate: res.gate ? toJson(GateSchema, res.gate) : null, task: res.task ? toJson(TaskSchema, res.task) : null };
  },
};

export const gateTools: readonly OrchestratorTool[] = [gateCreateTool, gateResolveTool];
