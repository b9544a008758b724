import { copyFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { MailboxService, SchedulerService } from "@orchestrator/contracts";
import { createServiceClient } from "@orchestrator/rpc";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { demoInstances, KILL_TEST_PROBE_ENV, type DemoInstances } from "../support/demo-instances.js";
import { startStack, type Stack } from "../support/start-stack.js";
import { ensureConsoleBuilt, openConsole, SKIP_IN_CI_POSTGRES_PASS, type ConsoleBrowser } from "./open-console.js";

/**
 * The web console in Debian's chromium against a whole control plane with
 * demo instances A-H: fleet tiles live from WatchHealth (a SIGKILLed
 * instance turns down without a reload), a diamond run's graph going to
 * completed, a gate resolved from the attention inbox, a message sent from
 * the form and seen in the recipient's inbox, and a 5,000-task run that
 * stays responsive. Any console error or failed asset load fails the test.
 */
const NAMES = ["A", "B", "C", "D", "E", "F", "G", "H"];
const DOCS = join(import.meta.dirname, "../../docs");
let stack: Stack;
let demo: DemoInstances;
let ui: ConsoleBrowser;
const scheduler = () => createServiceClient(SchedulerService, { address: stack.address });

/** Keeps a screenshot as a test artifact and, for the README, under docs/. */
async function keepScreenshot(name: string): Promise<void> {
  const path = await ui.screenshot(name);
  if (process.env.UPDATE_CONSOLE_SCREENSHOTS) {
    mkdirSync(DOCS, { recursive: true });
    copyFileSync(path, join(DOCS, `console-${name}.png`));
  }
}

describe.skipIf(SKIP_IN_CI_POSTGRES_PASS)("web console", { timeout: 120_000 }, () => {
  beforeAll(async () => {
    ensureConsoleBuilt();
    stack = await startStack({ services: ["health", "router", "mailbox", "scheduler"], env: KILL_TEST_PROBE_ENV });
    demo = demoInstances(stack.address, NAMES);
    await demo.waitHealthy(NAMES);
    ui = await openConsole(`http://${stack.address}/`);
  }, 240_000);

  afterAll(async () => {
    await ui?.close();
    await demo?.close();
    await stack?.close();
  });

  afterEach(() => {
    expect(ui.problems).toEqual([]);
  });

  it("is served at / over HTTP/1.1 with a strict Content-Security-Policy and no CORS", async () => {
    const page = await fetch(`http://${stack.address}/`, { headers: { origin: "https://evil.example" } });
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toContain("text/html");
    const csp = page.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(page.headers.get("access-control-allow-origin")).toBeNull();
    const html = await page.text();
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const asset = await fetch(`http://${stack.address}${script}`);
    expect(asset.headers.get("content-type")).toContain("javascript");
    expect(asset.headers.get("cache-control")).toContain("immutable");
    // A cross-origin preflight for an RPC gets no CORS grant.
    const preflight = await fetch(`http://${stack.address}/orchestrator.health.v1.HealthService/ListInstances`, {
      method: "OPTIONS",
      headers: { origin: "https://evil.example", "access-control-request-method": "POST", "access-control-request-headers": "content-type" },
    });
    expect(preflight.headers.get("access-control-allow-origin")).toBeNull();
    expect((await fetch(`http://${stack.address}/no-such-asset.js`)).status).not.toBe(200);
  });

  it("shows eight healthy tiles, filtered by selectors the server evaluates", async () => {
    const { page } = ui;
    await expect.poll(() => page.locator('[data-testid^="tile-"][data-health="healthy"]').count(), { timeout: 30_000 }).toBe(8);
    for (const name of NAMES) expect(await page.getByTestId(`tile-${name}`).getAttribute("data-health")).toBe("healthy");
    await expect.poll(() => page.locator(".stream-live").count()).toBeGreaterThan(0);

    const filter = page.getByLabel("selector filter");
    await filter.fill("B-D");
    await expect.poll(() => page.locator('[data-testid^="tile-"]').count()).toBe(3);
    await filter.fill("A-");
    await page.getByText(/INVALID_ARGUMENT: selectors\[0\]/).waitFor();
    await filter.fill("@pool:demo");
    await expect.poll(() => page.locator('[data-testid^="tile-"]').count()).toBe(8);

    await page.getByTestId("tile-A").click();
    await page.getByTestId("health-history").getByText("healthy").first().waitFor();
    expect(await page.getByTestId("allocation").textContent()).toBe("free");
  });

  it("turns C's tile down when its process is SIGKILLed, without a reload", async () => {
    const { page } = ui;
    await page.evaluate("window.marker = 42");
    await demo.kill("C");
    await page.getByTestId("tile-C").and(page.locator('[data-health="down"]')).waitFor({ timeout: 30_000 });
    expect(await page.evaluate("window.marker")).toBe(42);
    expect(await page.getByTestId("tile-A").getAttribute("data-health")).toBe("healthy");
    await page.getByTestId("tile-C").click();
    await page.getByTestId("health-history").getByText("down").first().waitFor();
    await keepScreenshot("fleet");
  });

  it("starts a 4-task diamond run and watches its nodes go to completed", async () => {
    const { page } = ui;
    await page.goto(`http://${stack.address}/#/runs`);
    await page.getByLabel("run spec").fill(
      JSON.stringify({
        target: "@healthy",
        tasks: [
          { id: "a", spec: "fetch", payload: { demo: { delayMs: 300 } } },
          { id: "b", spec: "left", deps: ["a"], payload: { demo: { delayMs: 300 } } },
          { id: "c", spec: "right", deps: ["a"], payload: { demo: { delayMs: 300 } } },
          { id: "d", spec: "join", deps: ["b", "c"], payload: { demo: { delayMs: 300 } } },
        ],
      }),
    );
    await page.getByRole("button", { name: "Start run" }).click();
    await page.waitForURL(/#\/runs\/r-/);
    // The graph is drawn while the run goes on, and every node turns completed as WatchRun pushes progress.
    await page.getByTestId("node-a").waitFor();
    for (const key of ["a", "b", "c", "d"]) {
      await page.locator(`[data-testid="node-${key}"][data-status="completed"]`).waitFor({ timeout: 60_000 });
    }
    await page.locator('[data-testid="run-phase"]', { hasText: "done" }).waitFor();
    await page.getByTestId("node-d").click();
    await page.getByTestId("dispatch-contexts").getByText("completed").waitFor();
    await keepScreenshot("run-graph");
  });

  it("lists a new gate in the attention inbox, resolves it with an option button, and the task becomes ready", async () => {
    const { page } = ui;
    await page.goto(`http://${stack.address}/#/attention`);
    await page.getByText("No gate is waiting.").waitFor();
    await scheduler().createTask({ id: "deploy", spec: "deploy the release" });
    const { gate } = await scheduler().createGate({ taskId: "deploy", question: "Ship release 1.2?", options: ["ship", "hold"], defaultOption: "hold", expiry: { case: "timeout", value: { seconds: 3600n } } });
    // Pushed: the gate's decision_gate message reaches the console's mailbox subscription.
    const card = page.getByTestId(`gate-${gate!.id}`);
    await card.waitFor();
    await card.getByText(/left$/).waitFor();
    expect(await card.getByRole("button", { name: "hold (default)" }).count()).toBe(1);
    expect(await page.getByTestId("nav-attention").textContent()).toContain("1");
    await keepScreenshot("attention");
    expect((await scheduler().getTask({ id: "deploy" })).task?.status).toBe("blocked");
    await card.getByRole("button", { name: "ship" }).click();
    await page.getByTestId(`resolved-${gate!.id}`).getByTestId("resolved-task-status").and(page.getByText("ready")).waitFor();
    expect((await scheduler().getTask({ id: "deploy" })).task?.status).toBe("ready");
    await card.waitFor({ state: "detached" });
  });

  it("sends a message from the form and shows it in the recipient's inbox", async () => {
    const { page } = ui;
    await page.getByLabel("handle", { exact: true }).fill("alice");
    await page.getByRole("button", { name: "Open" }).click();
    await page.getByText("No messages for alice.").waitFor();
    await page.getByLabel("to", { exact: true }).fill("alice");
    await page.getByLabel("from", { exact: true }).fill("bob");
    await page.getByLabel("subject").fill("standup at ten");
    await page.getByLabel("body").fill("bring the numbers");
    await page.getByRole("button", { name: "Send", exact: true }).click();
    await page.getByTestId("send-result").waitFor();
    // Pushed by the mailbox subscription of alice: no reload.
    await page.getByTestId("inbox").getByText("standup at ten").waitFor();
    const { messages } = await createServiceClient(MailboxService, { address: stack.address }).inbox({ handle: "alice" });
    expect(messages.map((m) => [m.from, m.subject])).toEqual([["bob", "standup at ten"]]);
  });

  it("opens a 5,000-task run and scrolls its graph while the page keeps answering input", async () => {
    const { page } = ui;
    const width = 100;
    const tasks = Array.from({ length: 5000 }, (_, i) => ({
      id: `t${i}`,
      spec: `task ${i}`,
      deps: i < width ? [] : [...new Set([`t${i - width}`, `t${i - width - (i % width) + ((i * 7 + 3) % width)}`])],
    }));
    // One task at a time to an agent handle nobody reads: the run stays live and light.
    const { run } = await scheduler().startRun({ spec: JSON.stringify({ target: "sink", maxConcurrency: 1, tasks }), format: "json" });
    await page.goto(`http://${stack.address}/#/runs/${run!.id}`);
    const graph = page.getByTestId("run-graph");
    await page.getByText("5000 tasks").waitFor({ timeout: 60_000 });
    await page.getByTestId("node-t0").waitFor();
    const drawn = async () => Number(await graph.getAttribute("data-drawn-nodes"));
    expect(await drawn()).toBeGreaterThan(10);
    expect(await drawn()).toBeLessThan(1000); // virtualised: only what is on screen exists
    await keepScreenshot("run-5000");
    await graph.hover();
    const answers = async () => {
      // The page's main thread answers: an evaluate round trip and a click that changes the zoom label.
      const t = await Promise.race([page.evaluate("document.readyState"), new Promise((r) => setTimeout(() => r("frozen"), 10_000))]);
      expect(t).toBe("complete");
    };
    for (let i = 0; i < 12; i++) {
      await page.mouse.wheel(0, 1500);
      await answers();
    }
    await page.getByTestId("node-t0").waitFor({ state: "detached" });
    expect(await drawn()).toBeLessThan(1000);
    const zoomLabel = page.locator(".graph-tools .muted").first();
    const before = await zoomLabel.textContent();
    await page.getByRole("button", { name: "zoom out" }).click();
    await expect.poll(() => zoomLabel.textContent()).not.toBe(before);
    await page.getByRole("button", { name: "fit" }).click();
    await answers();
    await page.getByTestId("task-list").getByText("t4999").waitFor({ state: "detached" });
    await page.getByLabel("status filter").selectOption("dispatched");
    await page.getByTestId("task-list").getByRole("button").first().click();
    await page.getByTestId("dispatch-contexts").getByText("sink").first().waitFor();
    await scheduler().stopRun({ id: run!.id });
  });
});
