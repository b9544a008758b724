import { open } from "node:fs/promises";

/**
 * The last `maxLines` lines (at most `maxBytes` bytes) of a log file, for
 * error messages; "" when the file does not exist or is empty.
 * @default maxLines 20, maxBytes 4096
 */
export async function logTail(path: string, maxLines = 20, maxBytes = 4096): Promise<string> {
  let file;
  try {
    file = await open(path, "r");
  } catch {
    return "";
  }
  try {
    const { size } = await file.stat();
    const length = Math.min(size, maxBytes);
    const buffer = Buffer.alloc(length);
    await file.read(buffer, 0, length, size - length);
    const lines = buffer.toString("utf8").split("\n");
    if (length < size) lines.shift(); // a partial first line
    while (lines.length > 0 && lines.at(-1)!.trim() === "") lines.pop();
    return lines.slice(-maxLines).join("\n");
  } finally {
    await file.close();
  }
}
