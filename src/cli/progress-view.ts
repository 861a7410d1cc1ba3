// Live progress of an apply. On a terminal: one line per resource, rewritten in place as it moves from waiting to
// done (or failed, skipped, undone). Elsewhere (pipes, CI logs): one plain line per event, nothing rewritten.
import pc from 'picocolors';
import type { ExecutionEvent } from '../execute/events.js';
import type { StepAction } from '../model/plan.js';

export interface ProgressViewOptions {
  write: (text: string) => void;
  /** Rewrite lines in place (a terminal). */
  live: boolean;
  color: boolean;
  /** Rows the terminal shows; lines scrolled above it cannot be rewritten and are printed anew instead. */
  rows?: number;
  /** Columns the terminal shows; live lines are cut to fit, since a wrapped line would throw off the rewriting. */
  columns?: number;
}

const ACTIVE: Record<string, string> = {
  create: 'creating',
  update: 'updating',
  delete: 'deleting',
};
const DONE: Record<string, string> = {
  create: 'created',
  update: 'updated',
  delete: 'deleted',
};
const UNDOING: Record<string, string> = {
  create: 're-creating',
  update: 'restoring',
  delete: 'deleting',
};

export class ProgressView {
  private readonly colors: ReturnType<typeof pc.createColors>;
  /** Live mode: the line index of each address in the block printed so far. */
  private readonly lineOf = new Map<string, number>();
  private lineCount = 0;

  constructor(private readonly options: ProgressViewOptions) {
    this.colors = pc.createColors(options.color);
  }

  update(event: ExecutionEvent): void {
    const c = this.colors;
    switch (event.type) {
      case 'apply-start':
        this.plain(
          c.bold(
            `\n${event.operation === 'destroy' ? 'Destroying' : 'Applying'} ${event.deployment}: ${event.steps} step${event.steps === 1 ? '' : 's'}`,
          ),
        );
        return;
      case 'step-start':
        this.line(
          event.address,
          `${c.cyan('…')} ${event.address}: ${ACTIVE[event.operation]}${this.replaceNote(event.action, event.operation)}`,
        );
        return;
      case 'step-retry':
        this.line(
          event.address,
          `${c.yellow('↻')} ${event.address}: retry ${event.attempt} in ${formatDuration(event.delayMs)} (${event.error.summary})`,
        );
        return;
      case 'step-finish':
        if (!event.complete) return;
        this.line(
          event.address,
          `${c.green('✓')} ${event.address}: ${DONE[event.operation]}${this.replaceNote(event.action, event.operation)} in ${formatDuration(event.durationMs)}${event.id ? c.dim(` [id=${event.id}]`) : ''}`,
        );
        return;
      case 'step-fail':
        this.line(event.address, `${c.red('✗')} ${event.address}: ${event.error.summary}`);
        return;
      case 'step-remains':
        this.line(event.address, `${c.yellow('!')} ${event.address}: remains (${firstLine(event.reason)})`);
        return;
      case 'step-skip':
        this.line(event.address, `${c.dim('-')} ${event.address}: skipped (needs ${event.because})`);
        return;
      case 'rollback-start':
        // Nothing was done, so there is nothing to undo: no heading for an empty rollback.
        if (event.operations === 0) return;
        this.plain(
          c.bold(
            `\nRolling back ${event.operations} change${event.operations === 1 ? '' : 's'} (${firstLine(event.reason.summary)})`,
          ),
        );
        this.lineOf.clear();
        return;
      case 'rollback-step-start':
        this.line(
          event.address,
          `${c.cyan('…')} ${event.address}: ${UNDOING[event.operation]} (undo ${event.undoes})`,
        );
        return;
      case 'rollback-step-finish':
        this.line(
          event.address,
          `${c.green('↺')} ${event.address}: undone (${event.undoes}) in ${formatDuration(event.durationMs)}`,
        );
        return;
      case 'rollback-step-fail':
        this.line(
          event.address,
          `${c.red('✗')} ${event.address}: could not undo ${event.undoes}: ${event.error.summary}`,
        );
        return;
      case 'rollback-finish':
      case 'apply-finish':
        return;
    }
  }

  /** A message between the progress lines (e.g. after Ctrl-C); counted so in-place rewrites still find their lines. */
  note(text: string): void {
    this.plain(text);
  }

  finish(): void {
    this.lineOf.clear();
  }

  private replaceNote(action: StepAction, operation: string): string {
    return action === 'replace' ? ` (replace: ${operation === 'create' ? 'new' : 'old'} one)` : '';
  }

  private plain(text: string): void {
    if (!this.options.live) {
      this.options.write(`${text}\n`);
      return;
    }
    const lines = text.split('\n').map((line) => this.fit(line));
    this.options.write(`${lines.join('\n')}\n`);
    this.lineCount += lines.length;
  }

  /** One terminal row at most: longer text is cut (and loses its colours) rather than wrapped. */
  private fit(text: string): string {
    const columns = this.options.columns ?? process.stdout.columns ?? 80;
    // biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI colour codes are what is being removed.
    const visible = text.replace(/\x1b\[[0-9;]*m/g, '');
    return visible.length < columns ? text : `${visible.slice(0, Math.max(columns - 2, 1))}…`;
  }

  /** A resource's line: rewritten in place when live and still on screen, else printed as a new line. */
  private line(address: string, text: string): void {
    const { live } = this.options;
    const rows = this.options.rows ?? process.stdout.rows ?? 24;
    const index = this.lineOf.get(address);
    if (!live) {
      this.options.write(`  ${text}\n`);
      return;
    }
    const row = this.fit(`  ${text}`);
    if (index !== undefined && this.lineCount - index < rows) {
      const up = this.lineCount - index;
      // Up to the line, clear it, write, then back down to where the cursor was.
      this.options.write(`\x1b[${up}A\r\x1b[2K${row}\x1b[${up}B\r`);
      return;
    }
    this.options.write(`${row}\n`);
    this.lineOf.set(address, this.lineCount);
    this.lineCount++;
  }
}

function firstLine(text: string): string {
  const line = text.split('\n')[0]!;
  return line.length > 100 ? `${line.slice(0, 99)}…` : line;
}

export function formatDuration(milliseconds: number): string {
  if (milliseconds < 1000) return `${Math.round(milliseconds)} ms`;
  if (milliseconds < 60_000) return `${(milliseconds / 1000).toFixed(1)} s`;
  const minutes = Math.floor(milliseconds / 60_000);
  return `${minutes} min ${Math.round((milliseconds % 60_000) / 1000)} s`;
}
