import { byKind, type KubeObject } from "../support/render-kustomize.js";

/** One service Deployment of the rendered manifests, as the topology test runs it. */
export interface ServiceDeployment {
  /** `app.kubernetes.io/component`: health, router, mailbox, scheduler. */
  readonly component: string;
  /** The Service that selects its pods: its DNS name and port. */
  readonly serviceName: string;
  readonly servicePort: number;
  /** Replicas to run: the HPA's minReplicas (the Deployments leave the count to it). */
  readonly replicas: number;
  /** The container's args (the image's ENTRYPOINT runs them). */
  readonly args: readonly string[];
  /** The container's environment, resolved from its ConfigMap, Secret and env entries. */
  readonly env: Readonly<Record<string, string>>;
  /** The grpc.health.v1 service name the readiness probe asks for. */
  readonly readinessService: string;
}

/** What the topology test needs from a rendered overlay. */
export interface Topology {
  readonly namespace: string;
  readonly services: readonly ServiceDeployment[];
  /** The migration Job's container. */
  readonly migrate: { readonly args: readonly string[]; readonly env: Readonly<Record<string, string>> };
  /** Every Service of the overlay, `name → port numbers`, to tell cluster addresses in values apart. */
  readonly clusterServices: ReadonlyMap<string, readonly number[]>;
}

/**
 * Reads the orchestrator's services (Deployments labelled with a component,
 * their Service and HPA) and the migration Job out of rendered manifests,
 * resolving each container's environment the way the kubelet does:
 * `envFrom` ConfigMaps and Secrets in order, then `env` entries (values and
 * configMapKeyRef/secretKeyRef), later ones winning.
 */
export function readTopology(objects: readonly KubeObject[]): Topology {
  const configMaps = byKind(objects, "ConfigMap");
  const secrets = byKind(objects, "Secret");
  const services = [...byKind(objects, "Service").values()];
  const hpas = [...byKind(objects, "HorizontalPodAutoscaler").values()];
  const envOf = (container: any) => resolveEnv(container, configMaps, secrets);
  const deployments = objects.filter((o) => o.kind === "Deployment" && o.metadata.labels?.["app.kubernetes.io/component"] && o.metadata.name.startsWith("orchestrator-"));
  const job = objects.find((o) => o.kind === "Job" && o.metadata.name === "orchestrator-migrate");
  if (!job) throw new Error("no orchestrator-migrate Job in the manifests");
  return {
    namespace: deployments[0]?.metadata.namespace ?? "default",
    services: deployments.map((d) => {
      const podLabels: Record<string, string> = d.spec.template.metadata.labels;
      const service = services.find((s) => Object.entries(s.spec.selector ?? {}).every(([k, v]) => podLabels[k] === v));
      if (!service) throw new Error(`no Service selects the pods of ${d.metadata.name}`);
      const hpa = hpas.find((h) => h.spec.scaleTargetRef.name === d.metadata.name);
      const container = d.spec.template.spec.containers[0];
      return {
        component: d.metadata.labels!["app.kubernetes.io/component"]!,
        serviceName: service.metadata.name,
        servicePort: service.spec.ports[0].port,
        replicas: hpa?.spec.minReplicas ?? d.spec.replicas ?? 1,
        args: container.args ?? [],
        env: envOf(container),
        readinessService: container.readinessProbe?.grpc?.service ?? "",
      };
    }),
    migrate: { args: job.spec.template.spec.containers[0].args ?? [], env: envOf(job.spec.template.spec.containers[0]) },
    clusterServices: new Map(services.map((s) => [s.metadata.name, s.spec.ports.map((p: any) => p.port as number)])),
  };
}

function resolveEnv(container: any, configMaps: Map<string, KubeObject>, secrets: Map<string, KubeObject>): Record<string, string> {
  const env: Record<string, string> = {};
  const source = (kind: "ConfigMap" | "Secret", name: string): Record<string, string> | undefined => {
    const object = (kind === "ConfigMap" ? configMaps : secrets).get(name);
    if (!object) return undefined;
    if (kind === "ConfigMap") return object.data ?? {};
    const decoded = Object.fromEntries(Object.entries((object.data ?? {}) as Record<string, string>).map(([k, v]) => [k, Buffer.from(v, "base64").toString("utf8")]));
    return { ...decoded, ...object.stringData };
  };
  for (const from of container.envFrom ?? []) {
    const ref = from.configMapRef ?? from.secretRef;
    const values = source(from.configMapRef ? "ConfigMap" : "Secret", ref.name);
    if (!values && !ref.optional) throw new Error(`${container.name}: envFrom ${ref.name} is not in the manifests`);
    for (const [k, v] of Object.entries(values ?? {})) env[`${from.prefix ?? ""}${k}`] = v;
  }
  for (const e of container.env ?? []) {
    if (e.value !== undefined) {
      env[e.name] = e.value;
      continue;
    }
    const ref = e.valueFrom?.configMapKeyRef ?? e.valueFrom?.secretKeyRef;
    if (!ref) throw new Error(`${container.name}: env ${e.name} uses a source the topology test cannot resolve`);
    const value = source(e.valueFrom.configMapKeyRef ? "ConfigMap" : "Secret", ref.name)?.[ref.key];
    if (value !== undefined) env[e.name] = value;
    else if (!ref.optional) throw new Error(`${container.name}: env ${e.name} refers to ${ref.name}/${ref.key}, which is missing`);
  }
  return env;
}
