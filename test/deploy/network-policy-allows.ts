import type { KubeObject } from "../support/render-kustomize.js";

/** One end of a connection: a pod (its labels and namespace) or an address outside the cluster. */
export type Peer =
  | { readonly pod: Readonly<Record<string, string>>; readonly namespace: string }
  | { readonly ip: string };

/**
 * Whether the NetworkPolicies allow a TCP/UDP connection from `from` to
 * `to` on `port`, by the Kubernetes rules: a pod selected by no policy of a
 * direction is open in that direction; once selected, a connection needs a
 * matching rule in some policy. Egress is judged at `from`, ingress at `to`.
 * Supports what the manifests use: matchLabels, matchExpressions (In,
 * NotIn, Exists), namespaceSelector on kubernetes.io/metadata.name, ipBlock
 * (IPv4, with except), ports by number.
 */
export function networkPolicyAllows(policies: readonly KubeObject[], from: Peer, to: Peer, port: number, protocol = "TCP"): boolean {
  const side = (pod: Peer, type: "Ingress" | "Egress", other: Peer) => {
    if (!("pod" in pod)) return true;
    const selecting = policies.filter(
      (p) => p.metadata.namespace === pod.namespace && (p.spec.policyTypes ?? ["Ingress"]).includes(type) && selects(p.spec.podSelector, pod.pod),
    );
    if (selecting.length === 0) return true;
    const rulesKey = type === "Ingress" ? "ingress" : "egress";
    const peersKey = type === "Ingress" ? "from" : "to";
    return selecting.some((p) =>
      (p.spec[rulesKey] ?? []).some(
        (rule: any) =>
          portsMatch(rule.ports, port, protocol) && (rule[peersKey] === undefined || rule[peersKey].some((peer: any) => peerMatches(peer, other, pod.namespace))),
      ),
    );
  };
  return side(from, "Egress", to) && side(to, "Ingress", from);
}

function portsMatch(ports: any[] | undefined, port: number, protocol: string): boolean {
  return ports === undefined || ports.some((p) => (p.protocol ?? "TCP") === protocol && (p.port === undefined || p.port === port));
}

function peerMatches(peer: any, other: Peer, policyNamespace: string): boolean {
  if (peer.ipBlock) return "ip" in other && inCidr(other.ip, peer.ipBlock.cidr) && !(peer.ipBlock.except ?? []).some((c: string) => inCidr(other.ip, c));
  if (!("pod" in other)) return false;
  const namespaceOk = peer.namespaceSelector
    ? selects(peer.namespaceSelector, { "kubernetes.io/metadata.name": other.namespace })
    : other.namespace === policyNamespace;
  return namespaceOk && (peer.podSelector === undefined || selects(peer.podSelector, other.pod));
}

/** A label selector: every matchLabels pair and every expression holds ({} selects everything). */
export function selects(selector: any, labels: Readonly<Record<string, string>>): boolean {
  const pairs = Object.entries(selector?.matchLabels ?? {});
  const expressions: any[] = selector?.matchExpressions ?? [];
  return (
    pairs.every(([k, v]) => labels[k] === v) &&
    expressions.every((e) => {
      const value = labels[e.key];
      if (e.operator === "In") return value !== undefined && e.values.includes(value);
      if (e.operator === "NotIn") return value === undefined || !e.values.includes(value);
      if (e.operator === "Exists") return value !== undefined;
      if (e.operator === "DoesNotExist") return value === undefined;
      throw new Error(`unsupported selector operator ${e.operator}`);
    })
  );
}

function inCidr(ip: string, cidr: string): boolean {
  const [base, bits] = cidr.split("/");
  const n = Number(bits ?? 32);
  const toInt = (a: string) => a.split(".").reduce((acc, o) => (acc << 8) + Number(o), 0) >>> 0;
  const mask = n === 0 ? 0 : (~0 << (32 - n)) >>> 0;
  return (toInt(ip) & mask) === (toInt(base!) & mask);
}
