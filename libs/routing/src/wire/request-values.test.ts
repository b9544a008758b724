import { create, fromJson } from "@bufbuild/protobuf";
import { ValueSchema } from "@bufbuild/protobuf/wkt";
import { DomainError } from "@orchestrator/errors";
import { describe, expect, it } from "vitest";
import { durationMs, msToDuration, checkJsonValue } from "./request-values.js";

function fieldOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return (error as DomainError).violations[0]?.field;
  }
  return undefined;
}

describe("checkJsonValue", () => {
  it("accepts any JSON value", () => {
    for (const json of [null, 1, "s", true, [1, { a: [null] }], { nested: { deep: [1, 2] } }]) {
      expect(checkJsonValue(fromJson(ValueSchema, json), "payload")).toBeDefined();
    }
  });

  it("reads an absent value as JSON null", () => {
    expect(checkJsonValue(undefined, "payload").kind.case).toBe("nullValue");
  });

  it("rejects a value without kind and non-finite numbers, naming the path", () => {
    expect(fieldOf(() => checkJsonValue(create(ValueSchema, {}), "data"))).toBe("data");
    const list = create(ValueSchema, { kind: { case: "listValue", value: { values: [fromJson(ValueSchema, 1), create(ValueSchema, { kind: { case: "numberValue", value: Infinity } })] } } });
    expect(fieldOf(() => checkJsonValue(list, "payload"))).toBe("payload[1]");
  });
});

describe("durations", () => {
  it("converts both ways", () => {
    expect(durationMs(undefined)).toBeUndefined();
    expect(durationMs({ seconds: 10n, nanos: 500_000_000 } as never)).toBe(10_500);
    expect(msToDuration(1234.5)).toEqual({ seconds: 1n, nanos: 234_500_000 });
  });
});
