/**
 * Compiles a glob (`*` any run of characters, `?` exactly one) into an
 * anchored RegExp. Every other character matches itself literally.
 */
export function globToRegex(pattern: string): RegExp {
  let source = "";
  for (const char of pattern) {
    if (char === "*") source += ".*";
    else if (char === "?") source += ".";
    else source += char.replace(/[\\^$.|+()[\]{}*?/-]/g, "\\$&");
  }
  return new RegExp(`^${source}$`, "s");
}
