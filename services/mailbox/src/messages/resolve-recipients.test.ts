import { DomainError, InvalidArgumentError } from "@orchestrator/errors";
import { describe, expect, it, vi } from "vitest";
import type { RecipientDirectory } from "./recipient-directory.js";
import { resolveRecipients } from "./resolve-recipients.js";

const directory = (names: string[]): RecipientDirectory & { resolve: ReturnType<typeof vi.fn> } => ({ resolve: vi.fn(async () => names) });

describe("resolveRecipients", () => {
  it("takes a plain handle as is, without asking the registry", async () => {
    const dir = directory([]);
    expect(await resolveRecipients("coordinator", "me", dir, 10)).toEqual({ handles: ["coordinator"], group: false });
    expect(dir.resolve).not.toHaveBeenCalled();
  });

  it("resolves groups, ranges and globs through the registry, de-duplicated", async () => {
    for (const to of ["@idle", "A-C", "kite-*", "@pool:x", "@label:a=b"]) {
      const dir = directory(["A", "B", "A"]);
      expect(await resolveRecipients(to, "me", dir, 10)).toEqual({ handles: ["A", "B"], group: true });
      expect(dir.resolve).toHaveBeenCalledWith(to);
    }
  });

  it("leaves the sender out of @all only, and refuses an @all of nobody else", async () => {
    expect((await resolveRecipients("@all", "B", directory(["A", "B"]), 10)).handles).toEqual(["A"]);
    expect((await resolveRecipients("@idle", "B", directory(["A", "B"]), 10)).handles).toEqual(["A", "B"]);
    const err = await resolveRecipients("@all", "B", directory(["B"]), 10).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).violations.map((v) => v.field)).toEqual(["to"]);
  });

  it("refuses more recipients than allowed, and bad selectors, naming `to`", async () => {
    await expect(resolveRecipients("@all", "me", directory(["A", "B", "C"]), 2)).rejects.toThrow(/to: .*at most 2/);
    const err = await resolveRecipients("A-", "me", directory([]), 2).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidArgumentError);
    expect((err as InvalidArgumentError).field).toBe("to");
  });
});
