import { Deployment, StatefulSet } from "kubernetes-models/apps/v1";
import { HorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2";
import { Job } from "kubernetes-models/batch/v1";
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1";
import { ConfigMap, Namespace, Secret, Service, ServiceAccount } from "kubernetes-models/v1";
import type { KubeObject } from "../support/render-kustomize.js";

/** A kubernetes-models class: constructing one and calling validate() checks the object against the Kubernetes OpenAPI schema. */
type ModelClass = new (data: any) => { validate(): void };

/** The schema of every kind the manifests use, by `apiVersion/kind`. A kind missing here fails validation, so new kinds get a schema. */
const MODELS: Readonly<Record<string, ModelClass>> = {
  "v1/Namespace": Namespace,
  "v1/ServiceAccount": ServiceAccount,
  "v1/ConfigMap": ConfigMap,
  "v1/Secret": Secret,
  "v1/Service": Service,
  "apps/v1/Deployment": Deployment,
  "apps/v1/StatefulSet": StatefulSet,
  "batch/v1/Job": Job,
  "autoscaling/v2/HorizontalPodAutoscaler": HorizontalPodAutoscaler,
  "policy/v1/PodDisruptionBudget": PodDisruptionBudget,
  "networking.k8s.io/v1/NetworkPolicy": NetworkPolicy,
};

/**
 * Validates one rendered object against the Kubernetes schema of its
 * apiVersion and kind (kubernetes-models). Returns the problems, empty when
 * valid.
 */
export function validateKubeObject(object: KubeObject): string[] {
  const key = `${object.apiVersion}/${object.kind}`;
  const Model = MODELS[key];
  if (!Model) return [`${key} ${object.metadata?.name}: no schema registered in validate-kube-object.ts`];
  try {
    new Model(withUnwrappedBase64(object)).validate();
    return [];
  } catch (error) {
    return [`${key} ${object.metadata.name}: ${(error as Error).message}`];
  }
}

/**
 * kustomize wraps long base64 Secret values at 76 columns; the API server
 * decodes them with Go's base64, which skips line breaks, but the schema's
 * "byte" format does not: compare what the server reads.
 */
function withUnwrappedBase64(object: KubeObject): KubeObject {
  if (object.kind !== "Secret" || !object.data) return object;
  const data = Object.fromEntries(Object.entries(object.data as Record<string, string>).map(([k, v]) => [k, v.replace(/[\r\n]/g, "")]));
  return { ...object, data };
}
