import { execFileSync } from "node:child_process";

/** Whether `kubectl kustomize` can run here, and what a test should do when it cannot. */
export type KubectlStatus =
  | { readonly kind: "available"; readonly version: string }
  /** Not installed on a developer machine: skip. */
  | { readonly kind: "skip"; readonly message: string }
  /** Not installed in CI (CI=true): fail with this message. */
  | { readonly kind: "fail"; readonly message: string };

/**
 * Looks for kubectl (env KUBECTL, else `kubectl` on PATH) with kustomize
 * built in. Missing, it is a skip on a developer machine and a failure in CI,
 * where the manifests must be checked.
 */
export function kubectlStatus(): KubectlStatus {
  try {
    const out = execFileSync(kubectlBinary(), ["version", "--client"], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    const version = /Kustomize Version: (\S+)/.exec(out)?.[1];
    if (version) return { kind: "available", version };
    return missing(`kubectl has no built-in kustomize (kubectl version --client printed: ${out.trim()})`);
  } catch (error) {
    return missing(`kubectl not found (${(error as Error).message.split("\n")[0]})`);
  }
}

function missing(reason: string): KubectlStatus {
  const message = `${reason}: install kubectl >= 1.27 (kustomize v5) or set KUBECTL to render deploy/k8s`;
  return process.env.CI === "true" ? { kind: "fail", message } : { kind: "skip", message };
}

/** The kubectl binary to run: env KUBECTL, else `kubectl`. */
export function kubectlBinary(): string {
  return process.env.KUBECTL || "kubectl";
}
