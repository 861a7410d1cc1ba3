// Where a stdio server's stderr goes: appended to `$CONDUCTOR_HOME/logs/<server>.log` (the terminal belongs to the
// conversation and the live view), with the last lines kept in memory so an error about the server can quote them.
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';

const TAIL_LINES = 20;

export class ServerLog {
  readonly file: string;
  private stream: WriteStream | undefined;
  private writable = true;
  private lines: string[] = [];
  private partial = '';

  constructor(directory: string, server: string) {
    this.file = join(directory, `${server.replace(/[^A-Za-z0-9._-]/g, '_')}.log`);
  }

  /** Marks a new process in the file, so one file can hold every restart of the server. */
  started(description: string): void {
    this.lines = [];
    this.partial = '';
    this.write(`--- ${new Date().toISOString()} started: ${description}\n`);
  }

  note(text: string): void {
    this.write(`--- ${new Date().toISOString()} ${text}\n`);
  }

  /** Follows one process's stderr; resolves when it ends (so an error can wait for the last words). */
  follow(stderr: Readable): Promise<void> {
    return new Promise((resolve) => {
      stderr.on('data', (chunk: Buffer | string) => {
        const text = chunk.toString();
        this.write(text);
        this.remember(text);
      });
      stderr.once('end', () => {
        if (this.partial !== '') this.push(this.partial);
        this.partial = '';
        resolve();
      });
      stderr.once('close', () => resolve());
      // A stderr pipe that breaks must not take Conductor down; the process's exit is reported elsewhere.
      stderr.on('error', () => resolve());
    });
  }

  /** The last lines the server wrote to stderr (at most 20), oldest first. */
  tail(): string[] {
    return this.partial === '' ? [...this.lines] : [...this.lines, this.partial].slice(-TAIL_LINES);
  }

  async close(): Promise<void> {
    // Nothing is written after this: a late line from a dying process must not reopen the file.
    this.writable = false;
    const stream = this.stream;
    this.stream = undefined;
    if (!stream) return;
    await new Promise<void>((resolve) => stream.end(resolve));
  }

  private remember(text: string): void {
    const pieces = (this.partial + text).split(/\r?\n/);
    this.partial = pieces.pop() ?? '';
    for (const line of pieces) this.push(line);
  }

  private push(line: string): void {
    if (line.trim() === '') return;
    this.lines.push(line);
    if (this.lines.length > TAIL_LINES) this.lines.shift();
  }

  private write(text: string): void {
    if (!this.writable) return;
    if (!this.stream) {
      try {
        mkdirSync(dirname(this.file), { recursive: true });
      } catch {
        this.writable = false;
        return;
      }
      this.stream = createWriteStream(this.file, { flags: 'a' });
      // A log that cannot be written (full disk, read-only home) loses the file, not the server: the tail remains.
      this.stream.on('error', () => {
        this.writable = false;
        this.stream = undefined;
      });
    }
    this.stream.write(text);
  }
}
