// A program in a real pseudo-terminal, driven like a person at a keyboard: util-linux `script` allocates the PTY, so
// readline, raw mode and @inquirer/prompts behave exactly as they do for a user. Type only after the prompt you
// answer is on screen (waitFor), as a person does: keys typed ahead may go to the wrong prompt.
import { type ChildProcess, spawn } from 'node:child_process';
import { stripVTControlCharacters } from 'node:util';

export const KEYS = {
  enter: '\r',
  down: '\u001b[B',
  up: '\u001b[A',
  ctrlC: '\u0003',
  ctrlD: '\u0004',
} as const;

export class TerminalSession {
  private readonly child: ChildProcess;
  private raw = '';
  /** Where the next waitFor starts looking: each match consumes the output up to it. */
  private cursor = 0;
  readonly exited: Promise<number | null>;

  constructor(
    command: readonly string[],
    options: { cwd: string; env: NodeJS.ProcessEnv; columns?: number },
  ) {
    const quoted = command.map((part) => `'${part.replace(/'/g, `'\\''`)}'`).join(' ');
    const columns = options.columns ?? 160;
    this.child = spawn('script', ['-qfec', `stty cols ${columns} rows 50; exec ${quoted}`, '/dev/null'], {
      cwd: options.cwd,
      env: { ...options.env, SHELL: '/bin/sh', TERM: 'xterm-256color' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const collect = (chunk: Buffer) => {
      this.raw += chunk.toString('utf8');
    };
    this.child.stdout!.on('data', collect);
    this.child.stderr!.on('data', collect);
    this.exited = new Promise((resolve) => this.child.on('exit', (code) => resolve(code)));
  }

  /** Everything shown so far, without colour and cursor codes. */
  get screen(): string {
    return stripVTControlCharacters(this.raw).replace(/\r/g, '');
  }

  /** Waits until `pattern` appears after the previous match; fails with the screen so far. */
  async waitFor(pattern: string | RegExp, timeoutMs = 30_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const text = this.screen;
      const rest = text.slice(this.cursor);
      const match = typeof pattern === 'string' ? locate(rest, pattern) : pattern.exec(rest);
      if (match) {
        this.cursor += match.index + match[0].length;
        return rest.slice(0, match.index + match[0].length);
      }
      if (Date.now() > deadline || this.child.exitCode !== null) {
        throw new Error(
          `Timed out waiting for ${String(pattern)}${this.child.exitCode !== null ? ` (the program exited with ${this.child.exitCode})` : ''}. Screen after the last match:\n${rest}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  type(text: string): void {
    this.child.stdin!.write(text);
  }

  /** A line of text and Enter. */
  line(text: string): void {
    this.type(`${text}${KEYS.enter}`);
  }

  kill(): void {
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
  }
}

function locate(text: string, needle: string): { index: number; 0: string } | undefined {
  const index = text.indexOf(needle);
  return index === -1 ? undefined : { index, 0: needle };
}
