// ESLint flat config for the whole workspace. Type-aware rules catch real
// bugs (floating and misused promises, unused variables); style is left to
// formatting. @nx/enforce-module-boundaries carries the architecture:
//   scope:service imports only scope:lib (never another service),
//   scope:lib imports only scope:lib (never apps or services),
//   scope:app (the CLI, the console) may import anything,
//   scope:test (test/, bench/) may import anything.
import nx from "@nx/eslint-plugin";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: ["**/node_modules/**", "**/dist/**", "**/gen/**", ".nx/**", ".orchestrator/**", "sdk/**", "**/*.mjs", "**/*.js", "**/*.cjs"],
  },
  {
    files: ["**/*.ts", "**/*.tsx"],
    plugins: { "@nx": nx, "@typescript-eslint": tseslint.plugin },
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      "@nx/enforce-module-boundaries": [
        "error",
        {
          enforceBuildableLibDependency: false,
          allow: [],
          // The CLI loads server-side code lazily for start-up speed; static imports elsewhere are fine.
          checkDynamicDependenciesExceptions: ["@orchestrator/*"],
          depConstraints: [
            { sourceTag: "scope:service", onlyDependOnLibsWithTags: ["scope:lib"] },
            { sourceTag: "scope:lib", onlyDependOnLibsWithTags: ["scope:lib"] },
            { sourceTag: "scope:app", onlyDependOnLibsWithTags: ["scope:lib", "scope:service", "scope:app"] },
            { sourceTag: "scope:test", onlyDependOnLibsWithTags: ["scope:lib", "scope:service", "scope:app"] },
          ],
        },
      ],
      // `void p` is no escape hatch: an unhandled rejection ends the process, so every promise is awaited or handled.
      "@typescript-eslint/no-floating-promises": ["error", { ignoreVoid: false }],
      "@typescript-eslint/no-misused-promises": "error",
      "@typescript-eslint/await-thenable": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none", ignoreRestSiblings: true }],

      "@typescript-eslint/only-throw-error": "error",
      "@typescript-eslint/require-await": "off",
      "@typescript-eslint/switch-exhaustiveness-check": ["error", { considerDefaultExhaustiveForUnions: true }],
      "no-fallthrough": "error",
      "no-self-compare": "error",
      "no-unreachable": "error",
      "no-constant-condition": ["error", { checkLoops: false }],
    },
  },
);
