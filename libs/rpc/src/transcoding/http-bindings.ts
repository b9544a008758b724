import { getOption, hasOption, type DescField, type DescMethod, type DescService } from "@bufbuild/protobuf";
import { googleApi, type googleApiHttp } from "@orchestrator/contracts";

/** An HTTP verb a binding answers. */
export type HttpVerb = "GET" | "PUT" | "POST" | "DELETE" | "PATCH";

/** One verb and path of an RPC, read from its `google.api.http` option (each additional binding is one more). */
export interface HttpBinding {
  readonly rpc: DescMethod;
  readonly verb: HttpVerb;
  /** The path template as written in the proto: `/api/orchestrator/sessions/{session_id}`. */
  readonly path: string;
  /** Request fields bound by path segments, in order. */
  readonly pathFields: readonly DescField[];
  /** `*` (every field not bound by the path), a request field name, or "" (no body: fields come from the query). */
  readonly body: string;
  /** The response field answered as the HTTP body; undefined for the whole response message. */
  readonly responseBody: DescField | undefined;
}

const VARIABLE = /^\{([a-z][a-z0-9_]*)\}$/;

/** A binding that cannot be served: named in the error, so a bad annotation fails at startup, not per request. */
function invalid(rpc: DescMethod, path: string, why: string): Error {
  return new Error(`google.api.http of ${rpc.parent.typeName}/${rpc.name} (${path}): ${why}`);
}

function toBinding(rpc: DescMethod, rule: googleApiHttp.HttpRule): HttpBinding | undefined {
  const { pattern } = rule;
  if (pattern.case === undefined) return undefined;
  if (pattern.case === "custom") throw invalid(rpc, pattern.value.path, "custom verbs are not supported");
  const path = pattern.value;
  if (rpc.methodKind !== "unary") throw invalid(rpc, path, "only unary RPCs are transcoded");
  if (!path.startsWith("/")) throw invalid(rpc, path, "the path must start with /");
  const pathFields: DescField[] = [];
  for (const segment of path.split("/").slice(1)) {
    if (!segment.includes("{")) continue;
    const name = VARIABLE.exec(segment)?.[1];
    const field = name ? rpc.input.fields.find((f) => f.name === name) : undefined;
    if (!field || field.fieldKind !== "scalar") throw invalid(rpc, path, `segment ${segment} must be {field} naming a singular scalar field of ${rpc.input.typeName}`);
    pathFields.push(field);
  }
  if (rule.body !== "" && rule.body !== "*" && !rpc.input.fields.some((f) => f.name === rule.body)) {
    throw invalid(rpc, path, `body "${rule.body}" is not a field of ${rpc.input.typeName}`);
  }
  let responseBody: DescField | undefined;
  if (rule.responseBody !== "") {
    responseBody = rpc.output.fields.find((f) => f.name === rule.responseBody);
    if (!responseBody) throw invalid(rpc, path, `response_body "${rule.responseBody}" is not a field of ${rpc.output.typeName}`);
  }
  return { rpc, verb: pattern.case.toUpperCase() as HttpVerb, path, pathFields, body: rule.body, responseBody };
}

/**
 * Every HTTP binding declared with `option (google.api.http)` on the methods
 * of `services`, additional bindings included, read from the descriptors
 * embedded in the generated code: the proto is the only routing table.
 * Throws on an annotation it cannot serve (a streaming RPC, a custom verb, a
 * path variable or body that names no field), so a bad contract fails at
 * startup.
 */
export function httpBindings(services: Iterable<DescService>): HttpBinding[] {
  const out: HttpBinding[] = [];
  for (const service of services) {
    for (const rpc of service.methods) {
      if (!hasOption(rpc, googleApi.http)) continue;
      const rule = getOption(rpc, googleApi.http);
      for (const r of [rule, ...rule.additionalBindings]) {
        const binding = toBinding(rpc, r);
        if (binding) out.push(binding);
      }
    }
  }
  return out;
}
