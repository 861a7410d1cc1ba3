// The last thing an apply prints: the outcome in one line, the root causes, and — when a rollback failed — every
// resource left behind with its server, id and why, and what to do next. Never claims more than happened.
import pc from 'picocolors';
import type { ApplyResult } from '../execute/apply-result.js';
import { formatDuration } from './progress-view.js';

export function renderApplyResult(
  result: ApplyResult,
  options: { color: boolean; verb: 'apply' | 'destroy' },
): string {
  const c = pc.createColors(options.color);
  const count = (status: string) => result.steps.filter((step) => step.status === status).length;
  const lines: string[] = [''];
  const took = formatDuration(result.durationMs);
  switch (result.status) {
    case 'succeeded':
      lines.push(
        c.green(
          c.bold(
            `${options.verb === 'destroy' ? 'Destroy' : 'Apply'} complete: ${count('done')} changed, ${count('unchanged')} unchanged in ${took}.`,
          ),
        ),
      );
      break;
    case 'rolled-back':
      lines.push(
        c.red(
          c.bold(
            `${options.verb === 'destroy' ? 'Destroy' : 'Apply'} failed and was rolled back in ${took}: the providers hold what they held before.`,
          ),
        ),
      );
      break;
    case 'failed':
      lines.push(
        c.red(
          c.bold(
            `${options.verb === 'destroy' ? 'Destroy' : 'Apply'} failed after ${took}: ${count('done')} changed and kept (--no-rollback), ${count('failed')} failed, ${count('skipped')} skipped, ${count('not-started')} not started.`,
          ),
        ),
      );
      break;
    case 'rollback-failed':
      lines.push(
        c.red(
          c.bold(
            `${options.verb === 'destroy' ? 'Destroy' : 'Apply'} failed and the rollback did not finish: ${result.leftBehind.length} resource${result.leftBehind.length === 1 ? ' was' : 's were'} left behind.`,
          ),
        ),
      );
      break;
    default:
      lines.push(
        c.bold(`${options.verb === 'destroy' ? 'Destroy' : 'Apply'} ended with status ${result.status}.`),
      );
  }
  const remaining = result.steps.filter((step) => step.status === 'remains');
  if (remaining.length > 0) {
    lines.push('', 'Still there (their servers cannot delete them; state keeps tracking them):');
    for (const step of remaining)
      lines.push(`  ${c.yellow('!')} ${step.address}: ${step.error?.summary ?? ''}`);
    lines.push(
      'Remove them by hand, then run the destroy again (or `conductor refresh`) so state lets go of them.',
    );
  }
  if (result.errors.length > 0) {
    lines.push('', 'Errors:');
    for (const error of result.errors) {
      lines.push(`  ${c.red('✗')} ${error.address ? `${error.address}: ` : ''}${error.summary}`);
      if (error.detail) lines.push(`    ${error.detail}`);
    }
  }
  if (result.leftBehind.length > 0) {
    lines.push(
      '',
      'Left behind (state, or for calls whose outcome is unknown the journal, records each of them):',
    );
    for (const item of result.leftBehind)
      lines.push(
        `  ${item.address} on ${item.server}${item.id ? ` [id=${item.id}]` : ''}: undoing its ${item.operation} failed: ${item.reason}`,
      );
    lines.push('', 'Run `conductor recover` to retry the rollback once the cause is fixed.');
  }
  lines.push(c.dim(`Apply id ${result.applyId}.`));
  return `${lines.join('\n')}\n`;
}
