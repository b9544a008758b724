import { HealthService, ProbeMode } from "@orchestrator/contracts";
import { createServiceClient } from "@orchestrator/rpc";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startStack, type Stack } from "../support/start-stack.js";
import { ensureConsoleBuilt, openConsole, SKIP_IN_CI_POSTGRES_PASS, type ConsoleBrowser } from "./open-console.js";

/**
 * The console against a control plane with an API key: the page loads
 * (its assets are public), every RPC without the key is UNAUTHENTICATED and
 * the console says so and asks for a key; a wrong key shows the error
 * again; the right one shows the fleet, and stays with the tab only.
 */
const KEY = "console-test-key-1";
let stack: Stack;
let ui: ConsoleBrowser;

describe.skipIf(SKIP_IN_CI_POSTGRES_PASS)("web console with an API key", { timeout: 120_000 }, () => {
  beforeAll(async () => {
    ensureConsoleBuilt();
    stack = await startStack({ services: ["health", "router", "mailbox", "scheduler"], env: { ORCHESTRATOR_API_KEY: KEY } });
    await createServiceClient(HealthService, { address: stack.address, apiKey: KEY }).registerInstance({ name: "K1", address: "127.0.0.1:9", pool: "keyed", probeMode: ProbeMode.HEARTBEAT });
    ui = await openConsole(`http://${stack.address}/`);
  }, 120_000);

  afterAll(async () => {
    await ui?.close();
    await stack?.close();
  });

  afterEach(() => {
    expect(ui.problems).toEqual([]);
  });

  it("asks for a key, shows UNAUTHENTICATED for a wrong one, and shows the fleet with the right one", async () => {
    const { page } = ui;
    const prompt = page.getByRole("form", { name: "API key" });
    await prompt.waitFor();
    expect(await page.getByTestId("auth-error").textContent()).toMatch(/^UNAUTHENTICATED: /);
    expect(await page.getByTestId("auth-cause").textContent()).toBe("No key was sent.");
    expect(await page.getByTestId("tile-K1").count()).toBe(0);

    await prompt.getByLabel("API key").fill("not-the-key");
    await prompt.getByRole("button", { name: "Use key" }).click();
    await page.getByTestId("auth-cause").and(page.getByText("The key entered was refused.")).waitFor();
    expect(await page.getByTestId("auth-error").textContent()).toMatch(/^UNAUTHENTICATED: /);
    expect(await page.evaluate("sessionStorage.getItem('orchestrator.apiKey')")).toBe("not-the-key");

    await prompt.getByLabel("API key").fill(KEY);
    await prompt.getByRole("button", { name: "Use key" }).click();
    await page.getByTestId("tile-K1").waitFor();
    await prompt.waitFor({ state: "detached" });
    expect(await page.evaluate("localStorage.getItem('orchestrator.apiKey')")).toBeNull();

    // Another tab of the same browser starts without the key.
    const other = await page.context().newPage();
    await other.goto(`http://${stack.address}/`);
    await other.getByRole("form", { name: "API key" }).waitFor();
    await other.close();
  });

  it("serves the assets without a key, and no RPC without one", async () => {
    expect((await fetch(`http://${stack.address}/`)).status).toBe(200);
    const rpc = await fetch(`http://${stack.address}/orchestrator.health.v1.HealthService/ListInstances`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect(rpc.status).toBe(401);
    expect(rpc.headers.get("access-control-allow-origin")).toBeNull();
  });
});
