import type { JsonValue } from "@bufbuild/protobuf";

/**
 * Parses a JSON option value (`--payload '{"data":"task"}'`); throws an
 * error naming the option when it is not JSON, before anything is sent.
 */
export function parseJsonOption(text: string, option: string): JsonValue {
  try {
    return JSON.parse(text) as JsonValue;
  } catch (error) {
    throw new Error(`${option}: not valid JSON (${(error as Error).message}); e.g. ${option} '{"data":"task"}'`);
  }
}
