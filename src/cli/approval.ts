// Asking the human before anything changes. Only a typed "yes" approves (as Terraform does): Enter alone, "y" or a
// closed input all decline. Without a terminal there is no one to ask, so the answer is no unless --yes was given.
import { createInterface } from 'node:readline/promises';

export type ApprovalResult = 'approved' | 'declined' | 'no-terminal';

export interface ApprovalOptions {
  /** --yes: approved in advance. */
  yes: boolean;
  question: string;
  input?: NodeJS.ReadableStream & { isTTY?: boolean };
  output?: NodeJS.WritableStream & { isTTY?: boolean };
}

export async function askApproval(options: ApprovalOptions): Promise<ApprovalResult> {
  if (options.yes) return 'approved';
  const input = options.input ?? process.stdin;
  const output = options.output ?? process.stdout;
  if (!input.isTTY || !output.isTTY) return 'no-terminal';
  const reader = createInterface({ input, output });
  try {
    const answer = await Promise.race([
      reader.question(`${options.question}\n  Only 'yes' will be accepted.\n\n  Enter a value: `),
      new Promise<string>((resolve) => reader.once('close', () => resolve(''))),
    ]);
    return answer.trim() === 'yes' ? 'approved' : 'declined';
  } finally {
    reader.close();
  }
}
