#!/usr/bin/env node
// A scripted stand-in for a coding agent's CLI (`claude -p`, `codex exec`),
// for tests of `orchestrator agent`. No model, no dependencies.
//
// It reads the task text from its last argument, or from stdin when it has
// none, prints a few lines, then follows the directives found in the text,
// in this order:
//   handoff:<handle>   send a `handoff` message to <handle> with $ORCHESTRATOR_CLI
//   noisy:<n>          print n numbered lines
//   sleep:<ms>         wait that long
//   wait-file:<path>   wait until the file exists (a test holds the run with it)
//   hang               never finish (until killed)
//   fail:<code>        print to stderr, then exit with <code>
//   escalate:<word>    send an `escalation` for the task (subject <word>, options yes/no) to
//                      $ORCHESTRATOR_REPLY_TO with $ORCHESTRATOR_CLI, then exit 0; skipped once the
//                      text carries a decision (the re-dispatch after the gate was resolved)
//   mcp-done           answer the dispatch with the worker_done tool of the MCP server
//                      in $ORCHESTRATOR_MCP_CONFIG (started as an MCP client does), then exit 0
// and ends with a ```json block:
//   {"agent": $ORCHESTRATOR_HANDLE, "task": $ORCHESTRATOR_TASK_ID, "input": <the text>, "cwd": <cwd>}
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";

const env = process.env;
const text = process.argv.length > 2 ? process.argv[process.argv.length - 1] : await readStdin();
const handle = env.ORCHESTRATOR_HANDLE ?? "";
const task = env.ORCHESTRATOR_TASK_ID ?? "";
const all = (pattern) => [...text.matchAll(pattern)].map((m) => m[1]);

console.log(`fake-agent ${handle}: task ${task}`);
console.log(`fake-agent: read ${text.length} characters from ${process.argv.length > 2 ? "the argument" : "stdin"}`);
console.error(`fake-agent: working in ${process.cwd()}`);

for (const to of all(/\bhandoff:([A-Za-z0-9_.-]*[A-Za-z0-9])/g)) {
  await orchestrator(["send", "--from", handle, "--to", to, "--type", "handoff", "--subject", `handoff from ${handle}`, "--body", `work handed over by ${handle} during task ${task}`]);
  console.log(`fake-agent: handed off to ${to}`);
}
for (const n of all(/\bnoisy:(\d+)/g)) {
  for (let i = 1; i <= Number(n); i++) console.log(`fake-agent noise ${i}/${n} (task ${task})`);
}
for (const ms of all(/\bsleep:(\d+)/g)) await sleep(Number(ms));
for (const file of all(/\bwait-file:(\S+)/g)) {
  console.log(`fake-agent: waiting for ${file}`);
  while (!existsSync(file)) await sleep(20);
}
if (/\bhang\b/.test(text)) {
  console.log("fake-agent: hanging");
  await new Promise(() => setInterval(() => {}, 60_000));
}
const fail = all(/\bfail:(\d+)/g)[0];
if (fail !== undefined) {
  console.error(`fake-agent: failing on purpose with exit ${fail}`);
  process.exit(Number(fail));
}
const question = all(/\bescalate:([A-Za-z0-9_.-]*[A-Za-z0-9])/g)[0];
if (question !== undefined && !text.includes("Decisions made for this task")) {
  const dispatch = env.ORCHESTRATOR_DISPATCH_ID ?? "";
  await orchestrator([
    "send", "--from", handle, "--to", env.ORCHESTRATOR_REPLY_TO ?? "", "--type", "escalation", "--priority", "high", "--thread-id", dispatch,
    "--subject", question, "--body", `${handle} needs a decision on task ${task}`, "--payload", JSON.stringify({ task, dispatch, options: ["yes", "no"] }),
  ]);
  console.log(`fake-agent: escalated ${question}`);
  process.exit(0);
}
if (/\bmcp-done\b/.test(text)) {
  await answerThroughMcp();
  process.exit(0);
}
console.log("fake-agent: done");
console.log("```json");
console.log(JSON.stringify({ agent: handle, task, input: text, cwd: process.cwd() }, null, 2));
console.log("```");

/** Starts the MCP server of $ORCHESTRATOR_MCP_CONFIG like an MCP client does, and calls worker_done. */
async function answerThroughMcp() {
  const { Client } = await import("@modelcontextprotocol/sdk/client/index.js");
  const { StdioClientTransport } = await import("@modelcontextprotocol/sdk/client/stdio.js");
  const server = JSON.parse(readFileSync(env.ORCHESTRATOR_MCP_CONFIG, "utf8")).mcpServers.orchestrator;
  const client = new Client({ name: "fake-agent", version: "1.0.0" });
  await client.connect(new StdioClientTransport({ command: server.command, args: server.args, env: server.env, stderr: "inherit" }));
  const taught = text.includes("You have the orchestrator's MCP tools");
  const res = await client.callTool({ name: "worker_done", arguments: { result: { via: "mcp", agent: handle, task, taught }, summary: "answered through MCP" } });
  await client.close();
  if (res.isError) throw new Error(`worker_done failed: ${res.content[0].text}`);
  console.log("fake-agent: answered through MCP");
}

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks).toString("utf8");
}

/** Runs `$ORCHESTRATOR_CLI ...args` (a shell command line) and fails if it does. */
function orchestrator(args) {
  const quoted = args.map((a) => `'${a.replaceAll("'", `'\\''`)}'`).join(" ");
  return new Promise((resolve, reject) => {
    const child = spawn(`${env.ORCHESTRATOR_CLI} ${quoted}`, { shell: true, stdio: ["ignore", "inherit", "inherit"] });
    child.once("error", reject);
    child.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`orchestrator ${args[0]} exited ${code}`))));
  });
}
