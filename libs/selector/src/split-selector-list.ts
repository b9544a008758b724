/**
 * Expands a CLI argument list into selector strings: `["A","B"]`,
 * `["A-H"]`, `["A,B,C"]` and `["A B"]` all work (split on commas and
 * whitespace, empty pieces dropped, order kept). Does not validate; pass the
 * result to parseSelector or resolveSelectors.
 */
export function splitSelectorList(args: readonly string[]): string[] {
  return args.flatMap((arg) => arg.split(/[\s,]+/)).filter((piece) => piece !== "");
}
