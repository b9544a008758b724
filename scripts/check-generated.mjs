#!/usr/bin/env node
// Fails when the checked-in generated code differs from what proto/ produces:
// re-vendors buf/validate/validate.proto, runs `buf generate` and writes
// docs/openapi.json from the google.api.http annotations and the Python
// SDK's modules (sdk/python/gen, when Debian's protoc and grpc_python_plugin
// are installed; skipped with a notice otherwise), then asks git for any
// change or new file under the generated paths.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const run = (cmd, args) => execFileSync(cmd, args, { stdio: "inherit" });
run("node", ["scripts/vendor-protovalidate.mjs"]);
run("npx", ["--no-install", "buf", "generate"]);
run("node", ["--import", "tsx", "scripts/generate-openapi.mjs"]);
const paths = ["proto", "libs/contracts/src/gen", "docs/openapi.json"];
const hasProtoc = spawnSync("sh", ["-c", "command -v protoc"]).status === 0 && existsSync("/usr/bin/grpc_python_plugin");
if (hasProtoc) {
  run("node", ["scripts/generate-python.mjs"]);
  paths.push("sdk/python/gen");
} else {
  console.log("sdk/python/gen not checked: protoc or grpc_python_plugin is missing (apt-get install protobuf-compiler protobuf-compiler-grpc)");
}
const status = execFileSync("git", ["status", "--porcelain", "--", ...paths], { encoding: "utf8" });
if (status.trim() !== "") {
  console.error(`generated code is out of date with proto/ (run \`npm run generate\` and commit):\n${status}`);
  process.exit(1);
}
console.log("generated code matches proto/");
