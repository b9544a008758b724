import { createInterface } from "node:readline/promises";

/**
 * Asks `question` on the terminal and resolves true only for y/yes. Off a
 * terminal (scripts, pipes, CI) there is nobody to ask: resolves true.
 */
export async function confirmOnTerminal(question: string): Promise<boolean> {
  if (!process.stdin.isTTY || !process.stderr.isTTY) return true;
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(`${question} [y/N] `);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}
