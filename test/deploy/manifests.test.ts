import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { kubectlStatus } from "../support/kubectl-status.js";
import { byKind, REPO_ROOT, renderKustomize, type KubeObject } from "../support/render-kustomize.js";
import { networkPolicyAllows, selects, type Peer } from "./network-policy-allows.js";
import { validateKubeObject } from "./validate-kube-object.js";

/** The services every overlay deploys, each as `orchestrator serve <name>`. */
const SERVICES = ["health", "router", "mailbox", "scheduler"] as const;
/** The Secret the prod overlay expects to exist already (created out of band; deploy/README.md). */
const EXTERNAL_SECRET = "orchestrator-secrets";
const WORKLOAD_KINDS = new Set(["Deployment", "StatefulSet", "Job"]);

const kubectl = kubectlStatus();

const podSpecOf = (o: KubeObject) => o.spec.template.spec;
const podLabelsOf = (o: KubeObject): Record<string, string> => o.spec.template.metadata?.labels ?? {};
const containersOf = (o: KubeObject): any[] => podSpecOf(o).containers;
const serviceDeployments = (objects: KubeObject[]) =>
  objects.filter((o) => o.kind === "Deployment" && (SERVICES as readonly string[]).includes(o.metadata.labels?.["app.kubernetes.io/component"] ?? ""));
const decode = (secret: KubeObject, key: string): string | undefined =>
  secret.stringData?.[key] ?? (secret.data?.[key] === undefined ? undefined : Buffer.from(secret.data[key], "base64").toString("utf8"));

describe.skipIf(kubectl.kind === "skip").each(["dev", "prod"])("deploy/k8s/overlays/%s", (overlay) => {
  let objects: KubeObject[];
  let configMap: KubeObject;

  beforeAll(() => {
    if (kubectl.kind === "fail") throw new Error(kubectl.message);
    objects = renderKustomize(`deploy/k8s/overlays/${overlay}`);
    const configMaps = [...byKind(objects, "ConfigMap").values()].filter((c) => c.metadata.name.startsWith("orchestrator-config"));
    expect(configMaps).toHaveLength(1);
    configMap = configMaps[0]!;
  });

  it("renders, and every object validates against the Kubernetes schema of its kind", () => {
    expect(objects.length).toBeGreaterThan(20);
    expect(objects.flatMap(validateKubeObject)).toEqual([]);
    const namespaces = new Set(objects.filter((o) => o.kind !== "Namespace").map((o) => o.metadata.namespace));
    expect([...namespaces]).toEqual([byKind(objects, "Namespace").keys().next().value]);
  });

  it("has one Deployment per service, each running `orchestrator serve <service>` from the one image", () => {
    const deployments = serviceDeployments(objects);
    expect(deployments.map((d) => d.metadata.labels!["app.kubernetes.io/component"]).sort()).toEqual([...SERVICES].sort());
    const images = new Set<string>();
    for (const d of deployments) {
      const [container, ...others] = containersOf(d);
      expect(others).toEqual([]);
      expect(container.command).toBeUndefined(); // the image's ENTRYPOINT runs the CLI
      expect(container.args).toEqual(["serve", d.metadata.labels!["app.kubernetes.io/component"]]);
      images.add(container.image);
    }
    const job = byKind(objects, "Job").get("orchestrator-migrate")!;
    images.add(containersOf(job)[0].image);
    expect(images.size).toBe(1);
    expect([...images][0]).toMatch(/^[\w./-]*orchestrator:[\w.-]+$/);
  });

  it("gives every workload probes, resource requests and limits, and a non-root security context", () => {
    const workloads = objects.filter((o) => WORKLOAD_KINDS.has(o.kind));
    for (const w of workloads) {
      const pod = podSpecOf(w);
      expect(pod.automountServiceAccountToken, `${w.metadata.name}`).toBe(false);
      expect(pod.securityContext?.seccompProfile?.type, w.metadata.name).toBe("RuntimeDefault");
      for (const c of pod.containers) {
        const where = `${w.kind} ${w.metadata.name}/${c.name}`;
        const sc = { ...pod.securityContext, ...c.securityContext };
        expect(sc.runAsNonRoot, where).toBe(true);
        expect(sc.runAsUser, where).toBeGreaterThan(0);
        expect(c.securityContext?.allowPrivilegeEscalation, where).toBe(false);
        expect(c.securityContext?.capabilities?.drop, where).toEqual(["ALL"]);
        for (const kind of ["requests", "limits"]) {
          expect(Object.keys(c.resources?.[kind] ?? {}).sort(), `${where} ${kind}`).toEqual(["cpu", "memory"]);
        }
        if (w.kind !== "Job") {
          expect(c.readinessProbe, `${where} readiness`).toBeDefined();
          expect(c.livenessProbe, `${where} liveness`).toBeDefined();
        }
      }
    }
  });

  it("probes every service natively on grpc.health.v1: the server for liveness, its own service for readiness", () => {
    for (const d of serviceDeployments(objects)) {
      const component = d.metadata.labels!["app.kubernetes.io/component"]!;
      const c = containersOf(d)[0];
      const grpcPort = c.ports.find((p: any) => p.name === "grpc").containerPort;
      expect(grpcPort).toBe(50051);
      for (const probe of [c.startupProbe, c.livenessProbe, c.readinessProbe]) expect(probe.grpc.port).toBe(grpcPort);
      expect(c.livenessProbe.grpc.service ?? "").toBe("");
      expect(c.readinessProbe.grpc.service).toMatch(new RegExp(`^orchestrator\\.${component}\\.v1\\.[A-Z]\\w*Service$`));
      expect(c.securityContext.readOnlyRootFilesystem).toBe(true);
    }
  });

  it("terminates gracefully: the grace period outlasts the preStop pause plus the drain", () => {
    const drainMs = Number(configMap.data.ORCHESTRATOR_DRAIN_TIMEOUT_MS);
    expect(drainMs).toBeGreaterThan(0);
    for (const d of serviceDeployments(objects)) {
      const preStopMs = (containersOf(d)[0].lifecycle?.preStop?.sleep?.seconds ?? 0) * 1000;
      expect(podSpecOf(d).terminationGracePeriodSeconds * 1000, d.metadata.name).toBeGreaterThan(preStopMs + drainMs);
    }
  });

  it("gives every Deployment a Service that selects its pods and targets its ports", () => {
    const services = [...byKind(objects, "Service").values()];
    for (const d of objects.filter((o) => o.kind === "Deployment" || o.kind === "StatefulSet")) {
      const ports = containersOf(d).flatMap((c) => c.ports ?? []);
      const matching = services.filter(
        (s) =>
          Object.keys(s.spec.selector ?? {}).length > 0 &&
          selects({ matchLabels: s.spec.selector }, podLabelsOf(d)) &&
          s.spec.ports.every((p: any) => ports.some((cp: any) => cp.name === p.targetPort || cp.containerPort === (p.targetPort ?? p.port))),
      );
      expect(matching.map((s) => s.metadata.name), `Service for ${d.kind} ${d.metadata.name}`).toHaveLength(1);
    }
  });

  it("scales the services with an HPA (which owns the replica count) and keeps them up with a PDB", () => {
    const hpas = [...byKind(objects, "HorizontalPodAutoscaler").values()];
    const pdbs = [...byKind(objects, "PodDisruptionBudget").values()];
    for (const d of serviceDeployments(objects)) {
      expect(d.spec.replicas, `${d.metadata.name} must leave replicas to the HPA`).toBeUndefined();
      const hpa = hpas.find((h) => h.spec.scaleTargetRef.kind === "Deployment" && h.spec.scaleTargetRef.name === d.metadata.name);
      expect(hpa, `HPA for ${d.metadata.name}`).toBeDefined();
      expect(hpa!.spec.minReplicas).toBeGreaterThanOrEqual(overlay === "prod" ? 3 : 2);
      expect(hpa!.spec.maxReplicas).toBeGreaterThan(hpa!.spec.minReplicas);
      const pdb = pdbs.find((p) => selects(p.spec.selector, podLabelsOf(d)));
      expect(pdb, `PDB for ${d.metadata.name}`).toBeDefined();
      const allowed = pdb!.spec.maxUnavailable ?? hpa!.spec.minReplicas - pdb!.spec.minAvailable;
      expect(allowed).toBeGreaterThanOrEqual(1); // drains can proceed
      expect(allowed).toBeLessThan(hpa!.spec.minReplicas); // but never take them all
    }
  });

  it("configures every service from the ConfigMap and the Secret, addresses by Service DNS name", () => {
    const secrets = byKind(objects, "Secret");
    for (const d of serviceDeployments(objects)) {
      const refs = containersOf(d)[0].envFrom;
      const cm = refs.find((r: any) => r.configMapRef)?.configMapRef.name;
      const secret = refs.find((r: any) => r.secretRef)?.secretRef.name;
      expect(cm).toBe(configMap.metadata.name);
      if (overlay === "prod") expect(secret).toBe(EXTERNAL_SECRET);
      else expect(secrets.has(secret)).toBe(true);
    }
    const services = byKind(objects, "Service");
    const addrKeys = Object.keys(configMap.data).filter((k) => /^ORCHESTRATOR_\w+_ADDR$/.test(k));
    expect(addrKeys.sort()).toEqual(SERVICES.map((s) => `ORCHESTRATOR_${s.toUpperCase()}_ADDR`).sort());
    for (const key of addrKeys) {
      const [host, port] = configMap.data[key].split(":");
      expect(services.get(host)?.spec.ports.map((p: any) => p.port), key).toContain(Number(port));
    }
    expect(configMap.data.ORCHESTRATOR_HOST).toBe("0.0.0.0");
    if (overlay === "prod") {
      expect(readFileSync(join(REPO_ROOT, "deploy/README.md"), "utf8")).toContain(`kubectl -n orchestrator create secret generic ${EXTERNAL_SECRET}`);
    } else {
      const secret = [...secrets.values()].find((s) => s.metadata.name.startsWith("orchestrator-secrets"))!;
      expect(decode(secret, "ORCHESTRATOR_API_KEY")).toBeTruthy();
      const db = new URL(decode(secret, "DATABASE_URL")!);
      const pg = byKind(objects, "StatefulSet").get(db.hostname);
      expect(pg, `DATABASE_URL host ${db.hostname} is the dev Postgres StatefulSet`).toBeDefined();
      expect(services.get(db.hostname)?.spec.ports[0].port).toBe(Number(db.port));
      const otlp = new URL(configMap.data.OTEL_EXPORTER_OTLP_ENDPOINT);
      const viewer = [...byKind(objects, "Deployment").values()].find((d) => selects({ matchLabels: services.get(otlp.hostname)?.spec.selector }, podLabelsOf(d)));
      expect(viewer && podLabelsOf(viewer)["orchestrator.dev/trace-collector"]).toBe("true");
      expect(services.get(otlp.hostname)!.spec.ports.map((p: any) => p.port)).toContain(Number(otlp.port));
    }
  });

  it("runs the migrations as a Job: `orchestrator migrate` with DATABASE_URL from the Secret", () => {
    const job = byKind(objects, "Job").get("orchestrator-migrate")!;
    const c = containersOf(job)[0];
    expect(c.args).toEqual(["migrate"]);
    const db = c.env.find((e: any) => e.name === "DATABASE_URL").valueFrom.secretKeyRef;
    expect(db.key).toBe("DATABASE_URL");
    expect(db.name).toMatch(/^orchestrator-secrets/);
    expect(job.spec.template.spec.restartPolicy).toBe("OnFailure");
    expect(job.spec.backoffLimit).toBeGreaterThan(0);
  });

  it("lets through only the traffic the services need (NetworkPolicy)", () => {
    const policies = [...byKind(objects, "NetworkPolicy").values()];
    const ns = [...byKind(objects, "Namespace").keys()][0]!;
    const pod = (name: string): Peer => {
      const w = objects.find((o) => WORKLOAD_KINDS.has(o.kind) && o.metadata.name === name);
      if (!w) throw new Error(`no workload ${name}`);
      return { pod: podLabelsOf(w), namespace: ns };
    };
    const svc = (s: string) => pod(`orchestrator-${s}`);
    const dns: Peer = { pod: { "k8s-app": "kube-dns" }, namespace: "kube-system" };
    const client: Peer = { pod: { "orchestrator.dev/client": "true" }, namespace: "apps" };
    const stranger: Peer = { pod: { app: "web" }, namespace: "apps" };
    const instance: Peer = { pod: { "orchestrator.dev/instance": "true" }, namespace: "agents" };
    const database: Peer = overlay === "dev" ? pod("postgres") : { ip: "10.20.30.40" };
    const allows = (from: Peer, to: Peer, port: number, protocol?: string) => networkPolicyAllows(policies, from, to, port, protocol);

    for (const [from, to] of [["router", "health"], ["mailbox", "health"], ["scheduler", "router"], ["scheduler", "mailbox"], ["scheduler", "health"]] as const) {
      expect(allows(svc(from), svc(to), 50051), `${from} → ${to}`).toBe(true);
    }
    for (const s of SERVICES) {
      expect(allows(client, svc(s), 50051), `client → ${s}`).toBe(true);
      expect(allows(stranger, svc(s), 50051), `unlabelled pod → ${s}`).toBe(false);
      expect(allows(client, svc(s), 8080), `client → ${s}:8080`).toBe(false);
      expect(allows(svc(s), database, 5432), `${s} → Postgres`).toBe(true);
      expect(allows(svc(s), dns, 53, "UDP"), `${s} → DNS`).toBe(true);
      expect(allows(svc(s), { ip: "93.184.216.34" }, 443), `${s} → the internet`).toBe(false);
      expect(allows(svc(s), instance, 7001), `${s} → instance`).toBe(s === "health" || s === "router");
    }
    expect(allows(svc("health"), stranger, 7001), "health → unlabelled pod").toBe(false);
    expect(allows(pod("orchestrator-migrate"), database, 5432), "migrate → Postgres").toBe(true);
    expect(allows(pod("orchestrator-migrate"), svc("health"), 50051), "migrate → health").toBe(false);
    if (overlay === "dev") {
      expect(allows(svc("router"), pod("jaeger"), 4318), "router → Jaeger OTLP").toBe(true);
      expect(allows(pod("jaeger"), svc("health"), 50051), "Jaeger → health").toBe(false);
      expect(allows(stranger, database, 5432), "unlabelled pod → Postgres").toBe(false);
    } else {
      expect(allows(svc("router"), { ip: "93.184.216.34" }, 5432), "router → a Postgres outside the CIDR").toBe(false);
    }
  });
});
