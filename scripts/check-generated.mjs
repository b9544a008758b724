#!/usr/bin/env node
// Fails when the checked-in generated code differs from what proto/ produces:
// re-vendors buf/validate/validate.proto, runs `buf generate` and writes
// docs/openapi.json from the google.api.http annotations, then asks git
// for any change or new file under the generated paths.
import { execFileSync } from "node:child_process";

const run = (cmd, args) => execFileSync(cmd, args, { stdio: "inherit" });
run("node", ["scripts/vendor-protovalidate.mjs"]);
run("npx", ["--no-install", "buf", "generate"]);
run("node", ["--import", "tsx", "scripts/generate-openapi.ts"]);
const paths = ["proto", "libs/contracts/src/gen", "docs/openapi.json"];
const status = execFileSync("git", ["status", "--porcelain", "--", ...paths], { encoding: "utf8" });
if (status.trim() !== "") {
  console.error(`generated code is out of date with proto/ (run \`npm run generate\` and commit):\n${status}`);
  process.exit(1);
}
console.log("generated code matches proto/");
