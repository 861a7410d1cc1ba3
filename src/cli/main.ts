// The `conductor` command line. Commands load their modules lazily so `conductor --help` starts fast.
import { Command, CommanderError, Option } from 'commander';
import type { ProviderGateway } from '../execute/provider-gateway.js';
import { ConductorError } from '../model/conductor-error.js';
import type { StateStore } from '../state/state-store.js';
import { EXIT, exitCodeForPlan } from './exit-codes.js';
import { parseDuration, parsePositiveInteger } from './parse-options.js';
import { readVersion } from './version.js';

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Whether stdout is a terminal that shows colour. */
  color: boolean;
  /** Whether stdout is a terminal where progress lines can update in place. */
  interactive?: boolean;
  /** Whether this is the real process, where Ctrl-C (SIGINT) should stop an apply gracefully. */
  interruptible?: boolean;
}

/** What commands act on, for programs that embed the CLI (and tests). Unset parts come from config. */
export interface CliServices {
  gateway?: ProviderGateway;
}

/** Runs one command line; resolves to the exit code. Never throws. */
export async function run(argv: readonly string[], io: CliIo, services: CliServices = {}): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = new Command('conductor')
    .description('Infrastructure as conversation: plan, review and apply deployments across MCP servers.')
    .version(readVersion(), '-V, --version')
    .option(
      '--config <file>',
      'config file (default: ./conductor.config.json|yaml, then $CONDUCTOR_HOME/config.json)',
    )
    .option('--no-color', 'plain output without colours')
    .showHelpAfterError('(run conductor --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });

  const stateOption = () =>
    new Option(
      '--state <url>',
      'state store: a SQLite file, sqlite://..., postgres://... (default: state.url in config, then $CONDUCTOR_HOME/state.sqlite)',
    );

  program
    .command('plan')
    .description(
      'Plan a deployment file and print the review: what would change, in which order, and policy results.',
    )
    .requiredOption('-f, --file <file>', 'deployment description (JSON or YAML)')
    .option('--json', 'print the plan as JSON (secrets masked)')
    .option('--show-unchanged', 'list unchanged resources one by one')
    .addOption(stateOption())
    .addHelpText(
      'after',
      '\nExit codes: 0 the plan is ready, 2 the input is invalid (bad file, unresolved reference, cycle), 3 a mandatory policy failed.',
    )
    .action(async (options: { file: string; json?: boolean; showUnchanged?: boolean; state?: string }) => {
      const global = program.opts<{ config?: string; color: boolean }>();
      const [{ planFile }, { renderPlan }, { redactPlan }] = await Promise.all([
        import('./plan-file.js'),
        import('../review/render-plan.js'),
        import('../review/redact.js'),
      ]);
      const plan = await withStateStore(options.state, (state) =>
        planFile({ file: options.file, cwd: io.cwd, configPath: global.config, env: io.env, state }),
      );
      if (options.json) io.stdout(`${JSON.stringify(redactPlan(plan), null, 2)}\n`);
      else
        io.stdout(
          renderPlan(plan, {
            color: io.color && global.color,
            showUnchanged: options.showUnchanged ?? false,
          }),
        );
      exitCode = exitCodeForPlan(plan);
    });

  program
    .command('graph')
    .description('Print the dependency graph of a deployment file as Mermaid or Graphviz DOT.')
    .requiredOption('-f, --file <file>', 'deployment description (JSON or YAML)')
    .addOption(
      new Option('--format <format>', 'output format').choices(['mermaid', 'dot']).default('mermaid'),
    )
    .action(async (options: { file: string; format: 'mermaid' | 'dot' }) => {
      const global = program.opts<{ config?: string; color: boolean }>();
      const [{ planFile }, { renderGraph }, { renderPlan }] = await Promise.all([
        import('./plan-file.js'),
        import('../review/render-graph.js'),
        import('../review/render-plan.js'),
      ]);
      const plan = await planFile({
        file: options.file,
        cwd: io.cwd,
        configPath: global.config,
        env: io.env,
        policies: false,
      });
      if (exitCodeForPlan(plan) === EXIT.usage) {
        io.stderr(renderPlan(plan, { color: false }));
        exitCode = EXIT.usage;
        return;
      }
      io.stdout(renderGraph(plan, options.format));
    });

  const globals = () => program.opts<{ config?: string; color: boolean }>();
  const changeOptions = (options: ChangeFlags) => ({
    ...(globals().config ? { configPath: globals().config } : {}),
    color: io.color && globals().color,
    yes: options.yes ?? false,
    ...(options.state ? { state: options.state } : {}),
    strategy: options.strategy,
    rollback: options.rollback,
    lockTimeoutMs: parseDuration(options.lockTimeout, '--lock-timeout'),
    ...(options.concurrency
      ? { concurrency: parsePositiveInteger(options.concurrency, '--concurrency') }
      : {}),
  });
  const withChangeOptions = (command: Command) =>
    command
      .option('-y, --yes', 'approve without asking (needed when there is no terminal)')
      .addOption(stateOption())
      .addOption(
        new Option(
          '--strategy <strategy>',
          'eager: each step starts when its dependencies are done; waves: wave by wave',
        )
          .choices(['eager', 'waves'])
          .default('eager'),
      )
      .option(
        '--no-rollback',
        'on failure keep what succeeded (and let independent steps finish) instead of undoing it',
      )
      .option(
        '--lock-timeout <duration>',
        'wait this long for another run to release the state lock (e.g. 30s, 2m)',
        '0s',
      )
      .option(
        '--concurrency <n>',
        'at most this many provider calls at once (default 16, or apply.concurrency)',
      );

  withChangeOptions(
    program
      .command('apply')
      .description('Plan a deployment file against state, show the review, ask for approval and apply it.')
      .requiredOption('-f, --file <file>', 'deployment description (JSON or YAML)'),
  )
    .addHelpText(
      'after',
      '\nExit codes: 0 applied (or nothing to do), 1 the apply failed (see what was rolled back), 2 invalid input, 3 refused (policy, or approval not given).',
    )
    .action(async (options: ChangeFlags & { file: string }) => {
      const { applyCommand } = await import('./apply-command.js');
      exitCode = await applyCommand({ ...changeOptions(options), file: options.file }, io, services);
    });

  withChangeOptions(
    program
      .command('destroy')
      .description(
        'Delete every resource of a deployment, in reverse dependency order, after review and approval.',
      )
      .argument('<name>', 'deployment name (see `conductor deployments`)'),
  ).action(async (name: string, options: ChangeFlags) => {
    const { destroyCommand } = await import('./apply-command.js');
    exitCode = await destroyCommand({ ...changeOptions(options), name }, io, services);
  });

  program
    .command('recover')
    .description(
      'Finish what a crashed apply (or a failed rollback) left: ask the providers what exists, then roll back or reconcile state.',
    )
    .option('-y, --yes', 'approve without asking (needed when there is no terminal)')
    .option('--rollback', 'undo the interrupted apply (default when it ran with rollback on)')
    .option(
      '--reconcile',
      'keep what it did and make state match the providers (default after --no-rollback)',
    )
    .option(
      '--resume',
      'reconcile, then plan the deployment again and apply the rest (review and approval as usual)',
    )
    .option('--lock-timeout <duration>', 'wait this long for the state lock', '0s')
    .addOption(stateOption())
    .action(
      async (options: {
        yes?: boolean;
        rollback?: boolean;
        reconcile?: boolean;
        resume?: boolean;
        lockTimeout: string;
        state?: string;
      }) => {
        const chosen = [options.rollback, options.reconcile, options.resume].filter(Boolean).length;
        if (chosen > 1)
          throw new ConductorError({
            code: 'invalid-option',
            summary: 'Choose one of --rollback, --reconcile and --resume.',
            detail: 'Each decides differently what happens to the interrupted apply; give at most one.',
            exitCode: EXIT.usage,
          });
        const { recoverCommand } = await import('./recover-command.js');
        exitCode = await recoverCommand(
          {
            ...changeOptions({ ...options, strategy: 'eager', rollback: true }),
            ...(options.rollback
              ? { mode: 'rollback' as const }
              : options.reconcile
                ? { mode: 'reconcile' as const }
                : {}),
            resume: options.resume ?? false,
          },
          io,
          services,
        );
      },
    );

  program
    .command('deployments')
    .description('List deployments in state: status, resource count, revision, last change.')
    .option('--json', 'print JSON')
    .addOption(stateOption())
    .action(async (options: { json?: boolean; state?: string }) => {
      const { deploymentsCommand } = await import('./state-commands.js');
      await withStateStore(options.state, (state) => deploymentsCommand(state, io, options));
    });

  program
    .command('state')
    .description('List the resources state records, now or as they were at a given time.')
    .option('--json', 'print JSON (secrets masked)')
    .option('-d, --deployment <name>', 'only this deployment')
    .option('--at <time>', 'as it was at this time (ISO time or date), from the recorded revisions')
    .option('-v, --verbose', 'also show properties and outputs (secrets masked)')
    .addOption(stateOption())
    .action(
      async (options: {
        json?: boolean;
        deployment?: string;
        at?: string;
        verbose?: boolean;
        state?: string;
      }) => {
        const { stateCommand } = await import('./state-commands.js');
        await withStateStore(options.state, (state) => stateCommand(state, io, options));
      },
    );

  program
    .command('unlock')
    .description(
      'Release the state lock of a run that is gone (crashed, killed, or on a machine that is down).',
    )
    .option(
      '--force',
      'release it even if its owner may still be running (another machine, or a live process)',
    )
    .addOption(stateOption())
    .action(async (options: { force?: boolean; state?: string }) => {
      const { unlockCommand } = await import('./state-commands.js');
      await withStateStore(options.state, async (state) => {
        exitCode = await unlockCommand(state, io, options);
      });
    });

  async function withStateStore<T>(
    flag: string | undefined,
    use: (state: StateStore) => Promise<T>,
  ): Promise<T> {
    const [{ loadConfig }, { openCliState }] = await Promise.all([
      import('../config/config.js'),
      import('./open-state.js'),
    ]);
    const config = await loadConfig({ cwd: io.cwd, explicitPath: globals().config, env: io.env });
    const state = await openCliState({
      ...(flag ? { flag } : {}),
      config,
      cwd: io.cwd,
      env: io.env,
      create: false,
    });
    try {
      return await use(state);
    } finally {
      await state.close();
    }
  }

  try {
    if (argv.length === 0) {
      io.stdout(program.helpInformation());
      return EXIT.ok;
    }
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version end through here too, with exit code 0.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (ConductorError.isInstance(error)) {
      io.stderr(`Error: ${error.summary}\n${error.detail}\n`);
      return error.exitCode;
    }
    const message =
      error instanceof Error
        ? io.env.CONDUCTOR_DEBUG
          ? (error.stack ?? error.message)
          : error.message
        : String(error);
    io.stderr(
      `Internal error: ${message}\nThis is a bug in Conductor, not in your input. Run again with CONDUCTOR_DEBUG=1 for the stack trace and report it.\n`,
    );
    return EXIT.failure;
  }
}

interface ChangeFlags {
  yes?: boolean;
  state?: string;
  strategy: 'eager' | 'waves';
  rollback: boolean;
  lockTimeout: string;
  concurrency?: string;
}
