import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createRequire } from "node:module";
import { beforeAll, describe, expect, it } from "vitest";
import { localCommand, readImageCommand } from "../support/image-command.js";
import { kubectlStatus } from "../support/kubectl-status.js";
import { REPO_ROOT, renderKustomize, type KubeObject } from "../support/render-kustomize.js";

const DOCKERFILE = join(REPO_ROOT, "deploy/Dockerfile");
const text = readFileSync(DOCKERFILE, "utf8");
const lint = (createRequire(import.meta.url)("dockerfilelint") as typeof import("dockerfilelint")).run;

describe("deploy/Dockerfile", () => {
  it("passes dockerfilelint", () => {
    expect(lint(join(REPO_ROOT, "deploy"), text)).toEqual([]);
  });

  it("is multi-stage, each stage named and explained by the comment above its FROM", () => {
    const lines = text.split("\n");
    const froms = lines.flatMap((line, i) => (/^FROM\s/.test(line) ? [i] : []));
    expect(froms.length).toBeGreaterThanOrEqual(2);
    for (const i of froms) {
      const stage = / AS (\S+)$/.exec(lines[i]!)?.[1];
      expect(stage, lines[i]).toBeDefined();
      const comment: string[] = [];
      for (let j = i - 1; j >= 0 && lines[j]!.startsWith("#"); j--) comment.unshift(lines[j]!);
      expect(comment.join(" "), `comment explaining stage ${stage}`).toMatch(new RegExp(`Stage \\d, ${stage}:`));
      expect(comment.join(" ").length).toBeGreaterThan(120);
    }
  });

  it("builds on a Node LTS line with a pinned tag, ships production dependencies only, and runs as non-root", () => {
    const bases = [...text.matchAll(/^FROM (\S+)/gm)].map((m) => m[1]!);
    for (const base of bases) expect(base).toMatch(/^node:(2[2-9]|[3-9]\d)-[\w-]+$/); // a tag, never latest
    expect(new Set(bases.map((b) => Number(/^node:(\d+)/.exec(b)![1]) % 2))).toEqual(new Set([0])); // even majors are the LTS lines
    expect(text).toMatch(/npm ci --omit=dev/);
    const image = readImageCommand();
    expect(image.user).toMatch(/^[1-9]\d*(:[1-9]\d*)?$/); // numeric, so runAsNonRoot can verify it
    expect(image.workdir).toBe("/app");
    const runtime = text.slice(text.lastIndexOf("\nFROM "));
    expect(runtime).not.toMatch(/COPY (?!--from)/); // only build outputs, never the context
    expect(runtime).toMatch(/COPY --from=prod-deps/);
  });

  it("keeps local state and secrets out of the build context without hiding what the build copies", () => {
    const ignored = readFileSync(join(REPO_ROOT, ".dockerignore"), "utf8")
      .split("\n")
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith("#"));
    for (const must of ["**/node_modules", ".git", ".orchestrator", "**/dist", "**/.env"]) expect(ignored).toContain(must);
    const copied = [...text.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((m) => m[1]!.split(/\s+/));
    expect(copied.length).toBeGreaterThan(3);
    for (const source of copied) expect(ignored, `${source} is copied but ignored`).not.toContain(source.replace(/\/$/, ""));
  });
});

describe.skipIf(kubectlStatus().kind === "skip")("the image runs the command the manifests give it", () => {
  let objects: KubeObject[];
  beforeAll(() => {
    const kubectl = kubectlStatus();
    if (kubectl.kind === "fail") throw new Error(kubectl.message);
    objects = renderKustomize("deploy/k8s/overlays/dev");
  });

  it("`orchestrator serve <service>` for every Deployment, `orchestrator migrate` for the Job", () => {
    const image = readImageCommand();
    const bin = join(REPO_ROOT, "apps/cli/bin/orchestrator.js");
    expect(image.entrypoint).toEqual(["node", "/app/apps/cli/bin/orchestrator.js"]);
    const ours = objects.filter((o) => (o.kind === "Deployment" || o.kind === "Job") && o.metadata.name.startsWith("orchestrator-"));
    expect(ours).toHaveLength(5);
    for (const o of ours) {
      const container = o.spec.template.spec.containers[0];
      const run = localCommand(image, container.args);
      const component = o.metadata.labels!["app.kubernetes.io/component"];
      expect(run).toEqual({ file: process.execPath, args: [bin, ...(o.kind === "Job" ? ["migrate"] : ["serve", component])] });
    }
    expect(localCommand(image, undefined).args).toEqual([bin, "--help"]);
  });
});
