import type { RouterModule } from "@orchestrator/router";
import { waitFor } from "@orchestrator/testing";
import type { Stack } from "./start-stack.js";

/**
 * Waits until the router hosted by `stack` sees every named instance
 * healthy (its view follows the health service's watch stream, a moment
 * behind CheckHealth).
 */
export async function waitForRouterView(stack: Stack, names: readonly string[]): Promise<void> {
  const router = stack.plane.modules.get("router") as RouterModule | undefined;
  if (!router) throw new Error("this stack hosts no router");
  await waitFor(`the router to see ${names.join(", ")} healthy`, () => names.every((n) => router.view.get(n)?.health === "healthy"), { timeoutMs: 30_000 });
}
