import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { kubectlBinary } from "./kubectl-status.js";

/** The repository root. */
export const REPO_ROOT = join(import.meta.dirname, "../..");

/** A rendered Kubernetes object, loosely typed: tests read the fields they check. */
export interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly labels?: Record<string, string> };
  readonly [field: string]: any;
}

/**
 * `kubectl kustomize <dir>` (relative to the repository root), parsed into
 * its objects in document order. Throws with kubectl's message when the
 * kustomization does not build.
 */
export function renderKustomize(dir: string): KubeObject[] {
  const yaml = execFileSync(kubectlBinary(), ["kustomize", join(REPO_ROOT, dir)], { encoding: "utf8", maxBuffer: 16 * 1024 * 1024 });
  return parseAllDocuments(yaml)
    .map((doc) => {
      if (doc.errors.length > 0) throw new Error(`${dir}: ${doc.errors[0]!.message}`);
      return doc.toJS() as KubeObject | null;
    })
    .filter((o): o is KubeObject => o !== null);
}

/** The objects of one kind, by name. */
export function byKind(objects: readonly KubeObject[], kind: string): Map<string, KubeObject> {
  return new Map(objects.filter((o) => o.kind === kind).map((o) => [o.metadata.name, o]));
}
