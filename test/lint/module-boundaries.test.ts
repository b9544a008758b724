import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../support/render-kustomize.js";

/**
 * The workspace's ESLint config, with only the boundary rule on and no type
 * information (the rule reads the nx project graph, not types), lints an
 * import placed in a project's source folder.
 */
async function boundaryErrors(filePath: string, source: string): Promise<string[]> {
  const eslint = new ESLint({
    cwd: REPO_ROOT,
    overrideConfig: {
      languageOptions: { parserOptions: { projectService: false, project: null } },
      rules: {
        "@typescript-eslint/no-floating-promises": "off",
        "@typescript-eslint/no-misused-promises": "off",
        "@typescript-eslint/await-thenable": "off",
        "@typescript-eslint/only-throw-error": "off",
        "@typescript-eslint/switch-exhaustiveness-check": "off",
        "@typescript-eslint/no-unused-vars": "off",
      },
    },
  });
  const [result] = await eslint.lintText(source, { filePath: `${REPO_ROOT}/${filePath}` });
  return (result?.messages ?? []).map((m) => `${m.ruleId}: ${m.message}`);
}

describe("module boundaries (npm run lint)", () => {
  it("rejects a service importing another service", async () => {
    const errors = await boundaryErrors("services/router/src/boundary-fixture.ts", 'import { createMailboxModule } from "@orchestrator/mailbox";\nexport const m = createMailboxModule;\n');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^@nx\/enforce-module-boundaries: A project tagged with "scope:service" can only depend on libs tagged with "scope:lib"/);
  });

  it("rejects a lib importing the CLI app", async () => {
    const errors = await boundaryErrors("libs/rpc/src/boundary-fixture.ts", 'import { main } from "@orchestrator/cli";\nexport const m = main;\n');
    expect(errors).toHaveLength(1);
    // The CLI imports every lib, so the rule reports the cycle this import would close (before the tag rule).
    expect(errors[0]).toMatch(/^@nx\/enforce-module-boundaries: (Circular dependency between "@orchestrator\/rpc" and "@orchestrator\/cli"|A project tagged with "scope:lib" can only depend on libs tagged with "scope:lib")/);
  });

  it("lets a service import libs, and the CLI import services", async () => {
    expect(await boundaryErrors("services/router/src/boundary-fixture.ts", 'import { DomainError } from "@orchestrator/errors";\nexport const e = DomainError;\n')).toEqual([]);
    expect(await boundaryErrors("apps/cli/src/boundary-fixture.ts", 'import { createMailboxModule } from "@orchestrator/mailbox";\nexport const m = createMailboxModule;\n')).toEqual([]);
  });
});
