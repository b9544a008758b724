import { create } from "@bufbuild/protobuf";
import { DurationSchema, type Duration } from "@bufbuild/protobuf/wkt";
import { durationInit, parseDurationOption } from "../router/parse-duration-option.js";

/** A duration flag (`30s`, `10m`, a bare number of seconds) as a google.protobuf.Duration; undefined when absent. */
export function durationOption(flag: string, text: string | undefined): Duration | undefined {
  return text === undefined ? undefined : create(DurationSchema, durationInit(parseDurationOption(text, flag)));
}
