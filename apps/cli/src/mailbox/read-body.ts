/** The body text: `-` reads it from stdin (multi-line bodies from scripts and agents), anything else is taken as is. */
export async function readBody(body: string | undefined): Promise<string> {
  if (body !== "-") return body ?? "";
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
