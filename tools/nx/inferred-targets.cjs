// @ts-check
/**
 * An nx plugin that gives every workspace project the same inferred targets,
 * so each project declares nothing by hand and nx runs (and caches) them:
 *
 *   typecheck  tsc over the project's own tsconfig.json (its sources, and the
 *              sources of the workspace libs it imports)
 *   lint       ESLint (type-aware rules, module boundaries) over the project
 *   test       vitest over the project's files, with the root vitest config
 *
 * `build` comes from a project's package.json "build" script (nx infers it);
 * its cache settings live in nx.json's targetDefaults.
 */
const { dirname, join } = require("node:path");
const { existsSync } = require("node:fs");

/** @type {import("nx/src/project-graph/plugins/public-api").CreateNodes} */
exports.createNodes = [
  "{apps,libs,services}/*/package.json",
  (files, _options, context) =>
    files
      .map((file) => dirname(file))
      .filter((root) => existsSync(join(context.workspaceRoot, root, "tsconfig.json")))
      .map((root) => [
        join(root, "package.json"),
        {
          projects: {
            [root]: {
              targets: {
                typecheck: {
                  command: "tsc -p tsconfig.json --noEmit",
                  options: { cwd: root },
                  cache: true,
                  inputs: ["default", "^default", { externalDependencies: ["typescript"] }],
                  outputs: [],
                },
                lint: {
                  command: "eslint .",
                  options: { cwd: root },
                  cache: true,
                  inputs: ["default", "^default", "{workspaceRoot}/eslint.config.mjs", { externalDependencies: ["eslint", "typescript-eslint", "@nx/eslint-plugin"] }],
                  outputs: [],
                },
                test: {
                  command: `vitest run ${root}/`,
                  cache: false,
                },
              },
            },
          },
        },
      ]),
];
