#!/usr/bin/env node
// A stand-in for `orchestrator agent` in LocalProvisioner tests: started as
// `node stub-agent.mjs agent --name N --pool P ... -- <command...>`, it
// prints its argv and working directory, registers N as a heartbeat-probed
// agent over the health service's Connect JSON API
// (ORCHESTRATOR_HEALTH_ADDR, ORCHESTRATOR_API_KEY), heartbeats until
// SIGTERM, then exits 0. With STUB_AGENT_EXIT=<code> it prints a complaint
// and exits with that code before registering.
import { createServer } from "node:net";

const args = process.argv.slice(2);
const option = (flag) => {
  const i = args.indexOf(flag);
  return i >= 0 ? args[i + 1] : undefined;
};
console.log(`stub agent argv: ${JSON.stringify(args)}`);
console.log(`stub agent cwd: ${process.cwd()}`);
console.log(`stub agent env: ORCHESTRATOR_ADDR=${process.env.ORCHESTRATOR_ADDR ?? ""} STUB_MARKER=${process.env.STUB_MARKER ?? ""}`);

if (process.env.STUB_AGENT_EXIT) {
  console.error("stub agent: cannot find the agent command (told to fail)");
  process.exit(Number(process.env.STUB_AGENT_EXIT));
}

const name = option("--name");
const pool = option("--pool");
const health = process.env.ORCHESTRATOR_HEALTH_ADDR;
const headers = { "content-type": "application/json", ...(process.env.ORCHESTRATOR_API_KEY ? { authorization: `Bearer ${process.env.ORCHESTRATOR_API_KEY}` } : {}) };
const call = async (method, body) => {
  const res = await fetch(`http://${health}/orchestrator.health.v1.HealthService/${method}`, { method: "POST", headers, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${method}: HTTP ${res.status} ${await res.text()}`);
  return res.json();
};

// Installed before registering: a provision ends when the stub is healthy, and a stop may follow at once.
let timer;
let server;
process.once("SIGTERM", () => {
  console.log("stub agent: SIGTERM, exiting");
  clearInterval(timer);
  server?.close();
  process.exit(0);
});

// An address to register (the real agent serves its AgentService there).
server = createServer().listen(0, "127.0.0.1");
await new Promise((resolve) => server.once("listening", resolve));
const address = `127.0.0.1:${server.address().port}`;

await call("RegisterInstance", { name, address, kind: "INSTANCE_KIND_AGENT", pool, probeMode: "PROBE_MODE_HEARTBEAT", replace: true });
console.log(`stub agent registered ${name} at ${address}`);
const beat = () => call("Heartbeat", { name, activity: "ACTIVITY_IDLE" }).catch((err) => console.error(`heartbeat failed: ${err.message}`));
await beat();
timer = setInterval(beat, 200);

