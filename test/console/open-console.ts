import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";

const ROOT = join(import.meta.dirname, "../..");
/** Where the browser tests leave their screenshots (CI keeps them as artifacts). */
export const ARTIFACTS = join(ROOT, "test-results", "console");

/**
 * The console holds no data and reads no database itself, so CI runs its
 * browser tests once, in the PGlite pass, not again on real Postgres: the
 * two passes of the suite stay within CI's budget. Outside CI they always run.
 */
export const SKIP_IN_CI_POSTGRES_PASS = process.env.CI === "true" && Boolean(process.env.DATABASE_URL);

/** Builds the console's assets when they are missing or stale (what `npm start` does). */
export function ensureConsoleBuilt(): void {
  execFileSync(process.execPath, [join(ROOT, "apps/console/build-console.mjs"), "--if-stale", "--quiet"], { stdio: "inherit" });
}

/** A headless Debian chromium, and everything the page did wrong. */
export interface ConsoleBrowser {
  readonly page: Page;
  /** Console errors and failed asset loads so far; a test ends with none. */
  readonly problems: string[];
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

/** RPC paths (`/orchestrator.health.v1.HealthService/...`): their errors are answers the page shows, not broken assets. */
const RPC_PATH = /^\/(orchestrator|grpc)\.[a-z0-9.]+\.[A-Za-z]+\/[A-Za-z]+$/;

/**
 * Launches Debian's /usr/bin/chromium (headless, no sandbox: CI runs as
 * root) with a fresh profile, opens `url`, and records every console
 * error and every failed or non-2xx load of a non-RPC URL.
 */
export async function openConsole(url: string): Promise<ConsoleBrowser> {
  const profile = mkdtempSync(join(tmpdir(), "orch-chromium-"));
  mkdirSync(ARTIFACTS, { recursive: true });
  // A persistent context on a fresh directory is how Playwright takes --user-data-dir.
  const browser: BrowserContext = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    viewport: { width: 1440, height: 900 },
  });
  const page = browser.pages()[0] ?? (await browser.newPage());
  const problems: string[] = [];
  const isRpc = (u: string) => {
    try {
      return RPC_PATH.test(new URL(u).pathname);
    } catch {
      return false;
    }
  };
  page.on("console", (msg) => {
    if (msg.type() !== "error") return;
    // Chromium logs every non-2xx fetch as an error; an RPC's 4xx (INVALID_ARGUMENT, UNAUTHENTICATED, ...) is an answer the page shows.
    if (isRpc(msg.location().url) && /status of 4\d\d/.test(msg.text())) return;
    problems.push(`console error: ${msg.text()} (${msg.location().url})`);
  });
  page.on("pageerror", (err) => problems.push(`page error: ${err.message}`));
  page.on("requestfailed", (req) => {
    if (!isRpc(req.url())) problems.push(`failed to load ${req.url()}: ${req.failure()?.errorText}`);
  });
  page.on("response", (res) => {
    if (!isRpc(res.url()) && res.status() >= 400) problems.push(`${res.status()} for ${res.url()}`);
  });
  await page.goto(url);
  return {
    page,
    problems,
    async screenshot(name) {
      const path = join(ARTIFACTS, `${name}.png`);
      await page.screenshot({ path });
      return path;
    },
    async close() {
      await browser.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
