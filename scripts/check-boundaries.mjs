#!/usr/bin/env node
// Module boundaries, from the nx tags in each package.json:
//   scope:service may import scope:lib only (never another service);
//   scope:lib may import scope:lib only;
//   scope:app (the CLI, the composition root) may import anything.
// Every @orchestrator/* import must also be declared in the package's dependencies.
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

const roots = ["apps", "libs", "services"];
const packages = new Map();
for (const root of roots) {
  for (const dir of readdirSync(root)) {
    const pj = join(root, dir, "package.json");
    try {
      const p = JSON.parse(readFileSync(pj, "utf8"));
      const scope = (p.nx?.tags ?? []).find((t) => t.startsWith("scope:"))?.slice(6) ?? "lib";
      packages.set(p.name, { dir: join(root, dir), scope, deps: { ...p.dependencies, ...p.devDependencies } });
    } catch {}
  }
}
const allowed = { service: ["lib"], lib: ["lib"], app: ["lib", "service", "app"] };
const problems = [];
function* files(dir) {
  for (const entry of readdirSync(dir)) {
    const full = join(dir, entry);
    if (entry === "node_modules" || entry === "dist") continue;
    if (statSync(full).isDirectory()) yield* files(full);
    else if (full.endsWith(".ts")) yield full;
  }
}
for (const [name, pkg] of packages) {
  let src;
  try { src = [...files(join(pkg.dir, "src"))]; } catch { continue; }
  for (const file of src) {
    const text = readFileSync(file, "utf8");
    for (const m of text.matchAll(/(?:from|import)\s*\(?\s*["'](@orchestrator\/[a-z-]+)|["'](\.\.\/[^"']*services\/[^"']+)["']/g)) {
      if (m[2]) { problems.push(`${file}: relative import into services/: ${m[2]}`); continue; }
      const target = packages.get(m[1]);
      if (!target) { problems.push(`${file}: unknown workspace package ${m[1]}`); continue; }
      if (m[1] === name) continue;
      if (!allowed[pkg.scope].includes(target.scope)) problems.push(`${file}: scope:${pkg.scope} ${name} must not import scope:${target.scope} ${m[1]}`);
      if (!file.endsWith(".test.ts") && !(m[1] in pkg.deps)) problems.push(`${file}: ${m[1]} is not in ${name}'s dependencies`);
    }
  }
}
if (problems.length) {
  console.error(`module boundary violations:\n  ${[...new Set(problems)].join("\n  ")}`);
  process.exit(1);
}
console.log(`module boundaries hold across ${packages.size} packages`);
