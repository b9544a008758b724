import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { createTestDatabase, migrations, testDatabaseAdminUrl, type TestDatabase } from "@orchestrator/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localCommand, readImageCommand } from "../support/image-command.js";
import { kubectlStatus } from "../support/kubectl-status.js";
import { renderKustomize } from "../support/render-kustomize.js";
import type { FleetScenario, Phase } from "./fleet-scenario.js";
import { localizeEnv } from "./localize-env.js";
import { readTopology, type Topology } from "./read-topology.js";
import { dagRunScenario } from "./scenarios/dag-run.scenario.js";
import { fanoutScenario } from "./scenarios/fanout.scenario.js";
import { healthAllocationScenario } from "./scenarios/health-allocation.scenario.js";
import { mailboxWaitScenario } from "./scenarios/mailbox-wait.scenario.js";
import { routeScenario } from "./scenarios/route.scenario.js";
import { startFleet, type Fleet } from "./start-fleet.js";

const run = promisify(execFile);
const OVERLAY = "deploy/k8s/overlays/dev";

/** The work driven through the fleet, before and after the kills. Scenarios without `drive` are extension points (see scenarios/). */
const SCENARIOS: readonly FleetScenario[] = [healthAllocationScenario(), routeScenario(), fanoutScenario(), mailboxWaitScenario(), dagRunScenario()];

const kubectl = kubectlStatus();

/**
 * The manifests' topology on this machine: every Deployment of the dev
 * overlay as separate OS processes (its HPA's minReplicas each), started
 * with the image's command and the environment its ConfigMap, Secret and
 * env give it, Services as local round-robin proxies, against a Postgres
 * database of its own, after the migration Job's command. Needs kubectl
 * (kustomize) and real Postgres (DATABASE_URL).
 */
describe.skipIf(kubectl.kind === "skip" || !testDatabaseAdminUrl())(`${OVERLAY} as a fleet of local processes`, () => {
  let topology: Topology;
  let database: TestDatabase;
  let migrated: string;
  let fleet: Fleet | undefined;

  beforeAll(async () => {
    if (kubectl.kind === "fail") throw new Error(kubectl.message);
    topology = readTopology(renderKustomize(OVERLAY));
    database = await createTestDatabase({ migrate: false });
    const job = localCommand(readImageCommand(), topology.migrate.args);
    const env = localizeEnv(topology.migrate.env, {
      addresses: new Map(),
      clusterServices: topology.clusterServices,
      namespace: topology.namespace,
      databaseUrl: database.url!,
      logLevel: "warn",
    });
    migrated = (await run(job.file, job.args, { env: { PATH: process.env.PATH, ...env } })).stdout;
    fleet = await startFleet(topology, { databaseUrl: database.url! });
  }, 120_000);

  afterAll(async () => {
    await fleet?.close();
    await database?.close();
  }, 60_000);

  it("ran the migration Job's command first: every migration applied", () => {
    expect(migrated.trim()).toBe(`applied ${Object.keys(migrations).join(", ")}`);
  });

  it("runs every replica of every service `serve` accepts, each SERVING its readiness probe", () => {
    expect(topology.services.map((s) => s.component)).toEqual(expect.arrayContaining(["health", "router", "mailbox", "scheduler"]));
    expect(fleet!.running).toContain("health");
    for (const component of fleet!.running) {
      const spec = topology.services.find((s) => s.component === component)!;
      expect(spec.replicas).toBeGreaterThanOrEqual(2);
      expect(fleet!.replicas(component)).toHaveLength(spec.replicas);
    }
  });

  const driveAll = (phase: Phase) => {
    for (const scenario of SCENARIOS) {
      const drive = scenario.drive;
      if (!drive) {
        it.todo(`${scenario.name} (${phase})`);
        continue;
      }
      it(`${scenario.name} (${phase})`, async (ctx) => {
        const missing = scenario.requires.filter((c) => !fleet!.running.includes(c));
        if (missing.length > 0) ctx.skip(`not served yet: ${missing.join(", ")}`);
        await drive(fleet!, phase);
      });
    }
  };

  driveAll("all replicas");

  it("SIGKILLs one replica of every service, and each Service carries on with the rest", async () => {
    for (const component of fleet!.running) {
      const [victim, ...rest] = fleet!.replicas(component);
      await fleet!.kill(victim!);
      expect(victim!.child.signalCode).toBe("SIGKILL");
      expect(fleet!.replicas(component)).toEqual(rest);
      expect(rest.length).toBeGreaterThanOrEqual(1);
    }
  });

  driveAll("after the kills");
});
