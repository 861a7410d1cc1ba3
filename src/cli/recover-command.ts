// `conductor recover`: finds applies that crashed or whose rollback failed, shows what the journal says was in flight,
// asks, then rolls them back or reconciles state with the providers. With --resume, after reconciling it plans the
// interrupted deployment again and applies the rest (with the usual review and approval).
import pc from 'picocolors';
import { findApplyToRecover } from '../execute/reconcile.js';
import type { RecoverMode } from '../execute/recover.js';
import type { ChangeCommandOptions } from './apply-command.js';
import { reviewAndExecute, withLockedState } from './apply-command.js';
import { askApproval } from './approval.js';
import { EXIT } from './exit-codes.js';
import type { CliIo, CliServices } from './main.js';
import { planChecked } from './plan-file.js';
import { ProgressView } from './progress-view.js';

export interface RecoverCommandOptions extends ChangeCommandOptions {
  mode?: RecoverMode;
  resume: boolean;
}

export async function recoverCommand(
  options: RecoverCommandOptions,
  io: CliIo,
  services: CliServices,
): Promise<number> {
  const c = pc.createColors(options.color);
  return withLockedState(options, io, services, 'recover', async (context) => {
    const { state, config } = context;
    const applies = await findApplyToRecover(state);
    if (applies.length === 0) {
      io.stdout(`Nothing to recover: no interrupted or half-rolled-back applies in ${state.location}.\n`);
      return EXIT.ok;
    }
    const mode: RecoverMode | undefined = options.resume ? 'reconcile' : options.mode;
    io.stdout(c.bold(`Found ${applies.length} apply${applies.length === 1 ? '' : 's'} to recover:\n`));
    for (const apply of applies) {
      const entries = await state.readJournal(apply.id);
      const ended = new Set(entries.filter((entry) => entry.kind === 'end').map((entry) => entry.begins));
      const open = entries.filter((entry) => entry.kind === 'begin' && !ended.has(entry.seq));
      const chosen = mode ?? (apply.rollback ? 'rollback' : 'reconcile');
      io.stdout(
        `\n  ${apply.id}: ${apply.operation} ${apply.deployment}, started ${apply.startedAt} by pid ${apply.owner.pid} on ${apply.owner.host}\n` +
          `    ${apply.status === 'running' ? 'interrupted' : 'its rollback failed'}; ${entries.filter((entry) => entry.kind === 'begin').length} provider calls journaled, ${open.length} without an outcome\n`,
      );
      for (const entry of open)
        io.stdout(`    ? ${entry.operation} ${entry.address} (outcome unknown: the provider is asked)\n`);
      for (const item of apply.leftBehind ?? [])
        io.stdout(
          `    ! ${item.address} on ${item.server}${item.id ? ` [id=${item.id}]` : ''}: ${item.reason}\n`,
        );
      io.stdout(
        `    → ${chosen === 'rollback' ? 'roll back: undo what it did, so the providers hold what they held before' : 'reconcile: keep what it did and make state match the providers'}\n`,
      );
    }
    const { gateway } = await context.providers();
    const approval = await askApproval({ yes: options.yes, question: '\nDo you want to recover as shown?' });
    if (approval !== 'approved') {
      io.stderr(
        approval === 'no-terminal'
          ? 'Refused: recovering changes resources and there is no terminal to ask in. Re-run with --yes to approve.\n'
          : 'Declined: nothing was changed.\n',
      );
      return EXIT.refused;
    }

    const { recover } = await import('../execute/recover.js');
    const view = new ProgressView({ write: io.stdout, live: io.interactive ?? false, color: options.color });
    const report = await recover({
      state,
      gateway,
      ...(mode ? { mode } : {}),
      ...(config.config.apply?.timeoutMs ? { timeoutMs: config.config.apply.timeoutMs } : {}),
      onEvent: (event) => view.update(event),
    });
    let failed = false;
    for (const item of report.recovered) {
      if (item.leftBehind.length > 0) {
        failed = true;
        io.stdout(
          c.red(
            `\n${item.applyId} (${item.deployment}): ${item.leftBehind.length} resource(s) still left behind:\n`,
          ),
        );
        for (const left of item.leftBehind)
          io.stdout(
            `  ${left.address} on ${left.server}${left.id ? ` [id=${left.id}]` : ''}: ${left.reason}\n`,
          );
      } else
        io.stdout(
          c.green(
            `\n${item.applyId} (${item.deployment}): ${item.mode === 'rollback' ? `rolled back (${item.fixed} provider change${item.fixed === 1 ? '' : 's'})` : 'reconciled'}; state matches the providers${item.stateFixes > 0 ? ` (${item.stateFixes} record${item.stateFixes === 1 ? '' : 's'} corrected)` : ''}.\n`,
          ),
        );
    }
    if (failed) {
      io.stdout('\nState records what is left. Fix the cause and run `conductor recover` again.\n');
      return EXIT.failure;
    }
    if (!options.resume) return EXIT.ok;

    let exitCode: number = EXIT.ok;
    for (const apply of applies) {
      if (!apply.source) {
        io.stdout(
          `\n${apply.deployment}: the interrupted ${apply.operation} kept no deployment document to resume; run it again.\n`,
        );
        continue;
      }
      io.stdout(c.bold(`\nResuming ${apply.deployment}: planning it again against the reconciled state.\n`));
      const plan = await planChecked(apply.source, {
        cwd: io.cwd,
        env: io.env,
        config,
        state,
        typesFor: (deployment) => context.providers().then((providers) => providers.typesFor(deployment)),
      });
      const code = await reviewAndExecute(plan, apply.source, {
        ...context,
        options,
        io,
        services,
        verb: 'apply',
      });
      if (code !== EXIT.ok) exitCode = code;
    }
    return exitCode;
  });
}
