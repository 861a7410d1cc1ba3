// The `conductor` command line. Commands load their modules lazily so `conductor --help` starts fast.
import { Command, CommanderError, Option } from 'commander';
import type { LoadedConfig } from '../config/config.js';
import type { ProviderGateway } from '../execute/provider-gateway.js';
import { ConductorError } from '../model/conductor-error.js';
import type { StateReader } from '../model/resource-record.js';
import type { TypeCatalog } from '../model/type-catalog.js';
import type { StateStore } from '../state/state-store.js';
import type { EvalCommandOptions } from './eval-command.js';
import { EXIT, exitCodeForPlan } from './exit-codes.js';
import { parseDuration, parsePositiveInteger } from './parse-options.js';
import type { OpenedProviders } from './providers.js';
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
  /** What the injected gateway's servers say about their types (the planner's replace and reference rules). */
  types?: TypeCatalog;
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
      'Plan a request ("deploy a minecraft server for 10 players") or a deployment file and print the review: what would change, in which order, and policy results.',
    )
    .argument('[request]', 'what you want, in words (quote it)')
    .option('-f, --file <file>', 'deployment description (JSON or YAML)')
    .option('--json', 'print the plan as JSON (secrets masked)')
    .addOption(modelOption())
    .option(
      '--override-policy <id>',
      'accept the violations of this mandatory policy (repeatable; needs --reason)',
      collect,
      [],
    )
    .option('--reason <text>', 'why the policy is overridden (recorded in the audit log)')
    .option('--show-unchanged', 'list unchanged resources one by one')
    .addOption(stateOption())
    .addHelpText(
      'after',
      '\nExit codes: 0 the plan is ready, 2 the input is invalid (bad file, unresolved reference, cycle), 3 a mandatory policy failed.',
    )
    .option('--refresh', 'read every managed resource back first: report drift and plan to put it back')
    .action(
      async (
        request: string | undefined,
        options: {
          file?: string;
          json?: boolean;
          showUnchanged?: boolean;
          state?: string;
          refresh?: boolean;
          model?: string;
          overridePolicy: string[];
          reason?: string;
        },
      ) => {
        const global = program.opts<{ config?: string; color: boolean }>();
        const file = requestOrFile(request, options.file, 'plan');
        if (file === undefined) {
          const { requestCommand } = await import('./request-command.js');
          exitCode = await requestCommand(
            {
              ...changeOptions({ strategy: 'eager', rollback: true, lockTimeout: '0s', ...options }),
              text: request!,
              mode: 'plan',
              readOnly: true,
              ...(options.model ? { model: options.model } : {}),
              ...(options.json ? { json: true } : {}),
              overrides: policyOverrides(options.overridePolicy, options.reason),
            },
            io,
            services,
          );
          return;
        }
        const [{ planFile }, { renderPlan }, { redactPlan }] = await Promise.all([
          import('./plan-file.js'),
          import('../review/render-plan.js'),
          import('../review/redact.js'),
        ]);
        const plan = await withStateStore(options.state, (state, config) =>
          withProviders(config, async (providers) => {
            let reader: StateReader = state;
            if (options.refresh) {
              const [{ detectDrift }, { renderDrift }, { MemoryState }] = await Promise.all([
                import('../execute/refresh.js'),
                import('../review/render-drift.js'),
                import('../state/memory-state.js'),
              ]);
              const report = await detectDrift(await state.listResources(), providers.gateway);
              // Drift goes to stderr with --json, so stdout stays one JSON document.
              (options.json ? io.stderr : io.stdout)(
                `${renderDrift(report, { color: io.color && global.color })}\n`,
              );
              reader = new MemoryState(report.refreshed);
            }
            return planFile({
              file,
              cwd: io.cwd,
              config,
              env: io.env,
              state: reader,
              typesFor: (deployment) => providers.typesFor(deployment),
            });
          }),
        );
        const { applyPolicyOverrides } = await import('../policy/overrides.js');
        const checked = applyPolicyOverrides(plan, policyOverrides(options.overridePolicy, options.reason));
        if (options.json) io.stdout(`${JSON.stringify(redactPlan(checked), null, 2)}\n`);
        else
          io.stdout(
            renderPlan(checked, {
              color: io.color && global.color,
              showUnchanged: options.showUnchanged ?? false,
            }),
          );
        exitCode = exitCodeForPlan(checked);
      },
    );

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
    ...(options.overridePolicy?.length
      ? { overrides: policyOverrides(options.overridePolicy, options.reason) }
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
      )
      .option(
        '--override-policy <id>',
        'accept the violations of this mandatory policy (repeatable; needs --reason; recorded in the audit log)',
        collect,
        [],
      )
      .option('--reason <text>', 'why the policy is overridden');

  withChangeOptions(
    program
      .command('apply')
      .description(
        'Plan a request or a deployment file against state, show the review, ask for approval and apply it.',
      )
      .argument('[request]', 'what you want, in words (quote it)')
      .option('-f, --file <file>', 'deployment description (JSON or YAML)')
      .addOption(modelOption()),
  )
    .addHelpText(
      'after',
      '\nExit codes: 0 applied (or nothing to do), 1 the apply failed (see what was rolled back), 2 invalid input, 3 refused (policy, or approval not given).',
    )
    .action(async (request: string | undefined, options: ChangeFlags & { file?: string; model?: string }) => {
      const file = requestOrFile(request, options.file, 'apply');
      if (file === undefined) {
        const { requestCommand } = await import('./request-command.js');
        exitCode = await requestCommand(
          {
            ...changeOptions(options),
            text: request!,
            mode: 'apply',
            ...(options.model ? { model: options.model } : {}),
          },
          io,
          services,
        );
        return;
      }
      const { applyCommand } = await import('./apply-command.js');
      exitCode = await applyCommand({ ...changeOptions(options), file }, io, services);
    });

  withChangeOptions(
    program
      .command('chat')
      .description(
        'Talk to Conductor: describe what you want, review the plan, approve it, ask what runs where. Runs on the built-in sandbox when no servers are configured.',
      )
      .addOption(modelOption()),
  ).action(async (options: ChangeFlags & { model?: string }) => {
    const { chatCommand } = await import('./chat-command.js');
    exitCode = await chatCommand(
      { ...changeOptions(options), ...(options.model ? { model: options.model } : {}) },
      io,
      services,
    );
  });

  program
    .command('serve')
    .description(
      'Run Conductor as an MCP server for Claude Desktop, Claude Code or any MCP client: plan requests, review plans, and apply them only after the person approves. stdio by default.',
    )
    .option(
      '--http <port>',
      'serve Streamable HTTP on 127.0.0.1:PORT instead (0 picks a free port); every request needs the bearer token in $CONDUCTOR_HOME/serve-token',
    )
    .addOption(modelOption())
    .addOption(stateOption())
    .option('--lock-timeout <duration>', 'how long an apply waits for the state lock', '30s')
    .action(async (options: { http?: string; model?: string; state?: string; lockTimeout: string }) => {
      const { serveCommand } = await import('./serve-command.js');
      exitCode = await serveCommand(
        {
          ...(options.http !== undefined ? { http: parsePort(options.http) } : {}),
          ...(options.model ? { model: options.model } : {}),
          ...(options.state ? { state: options.state } : {}),
          ...(globals().config ? { configPath: globals().config } : {}),
          lockTimeoutMs: parseDuration(options.lockTimeout, '--lock-timeout'),
        },
        io,
        services,
      );
    });

  program
    .command('intent')
    .description(
      'Print what a request means (the Intent: kind, pattern, parameters, what is missing). No side effects. With no request, reads one per line from stdin.',
    )
    .argument('[request]', 'what you want, in words (quote it)')
    .option('--json', 'one JSON object per line')
    .addOption(modelOption())
    .addOption(stateOption())
    .action(
      async (request: string | undefined, options: { json?: boolean; model?: string; state?: string }) => {
        const { intentCommand } = await import('./intent-command.js');
        exitCode = await intentCommand(
          {
            ...(request !== undefined ? { text: request } : {}),
            ...(options.json ? { json: true } : {}),
            ...(options.model ? { model: options.model } : {}),
            ...(options.state ? { state: options.state } : {}),
            ...(globals().config ? { configPath: globals().config } : {}),
          },
          io,
        );
      },
    );

  program
    .command('eval')
    .description(
      'Measure how well requests are understood: run the eval cases (evals/cases/*.jsonl) through a model and score each against its expected intent. Injection cases are also planned (never applied) and checked for safety.',
    )
    .option(
      '--model <model...>',
      'offline (default), anthropic (needs ANTHROPIC_API_KEY), or replay [DIR] (recorded Claude responses; default evals/recordings)',
    )
    .option('--cases <paths...>', 'case files or directories of *.jsonl (default: the package evals/cases)')
    .option('--json', 'print the results as JSON')
    .option('--threshold <rate>', 'fail (exit 1) below this exact rate: 0.9, 90 or 90%')
    .option(
      '--record <dir>',
      'with --model anthropic: save the API responses of each case to DIR/<case-id>.json',
    )
    .option('--report <file>', 'also write a Markdown report (for a pull request) to FILE')
    .addHelpText(
      'after',
      '\nExit codes: 0 done, 1 below --threshold or an injection case not handled safely, 2 invalid input (cases, model, key).',
    )
    .action(async (options: Omit<EvalCommandOptions, 'configPath'>) => {
      const { evalCommand } = await import('./eval-command.js');
      exitCode = await evalCommand(
        { ...options, ...(globals().config ? { configPath: globals().config } : {}) },
        io,
      );
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
    .command('inventory')
    .description('What each server really holds now, read through its list tools (the ground truth).')
    .option('--server <name>', 'only this server')
    .option('--json', 'print JSON (secrets masked)')
    .action(async (options: { server?: string; json?: boolean }) => {
      const { inventoryCommand } = await import('./provider-commands.js');
      const config = await loadCliConfig();
      exitCode = await withProviders(config, (providers) =>
        inventoryCommand(providers, io, { ...options, color: io.color && globals().color }),
      );
    });

  const servers = program
    .command('servers')
    .description('Configured MCP servers: connection status, tool count, resource types, native or adapted.')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const { serversCommand } = await import('./provider-commands.js');
      const config = await loadCliConfig();
      exitCode = await withProviders(config, (providers) => serversCommand(providers, io, options));
    });
  servers
    .command('import')
    .description('Copy MCP server entries from a Claude Desktop config into the Conductor config.')
    .option(
      '--from-claude-desktop [path]',
      'the Claude Desktop config (default: its usual place on this system)',
    )
    .option(
      '--into <file>',
      'the Conductor config to write (default: the one in use, or ./conductor.config.json)',
    )
    .action(async (options: { fromClaudeDesktop?: string | boolean; into?: string }) => {
      if (options.fromClaudeDesktop === undefined)
        throw new ConductorError({
          code: 'invalid-option',
          summary: 'Say where to import from: --from-claude-desktop [PATH].',
          detail: 'Claude Desktop is the only source so far; without a path its usual config file is read.',
          exitCode: EXIT.usage,
        });
      const { serversImportCommand } = await import('./provider-commands.js');
      const config = await loadCliConfig();
      exitCode = await serversImportCommand(config, io, {
        ...(typeof options.fromClaudeDesktop === 'string' ? { from: options.fromClaudeDesktop } : {}),
        ...(options.into ? { into: options.into } : {}),
      });
    });

  program
    .command('refresh')
    .description(
      'Read every managed resource back, report what drifted or vanished, and record what the providers hold.',
    )
    .option('-d, --deployment <name>', 'only this deployment')
    .option('--json', 'print the drift as JSON')
    .option('--lock-timeout <duration>', 'wait this long for the state lock', '0s')
    .addOption(stateOption())
    .action(async (options: { deployment?: string; json?: boolean; lockTimeout: string; state?: string }) => {
      const [{ refreshCommand }, { withLockedState }] = await Promise.all([
        import('./provider-commands.js'),
        import('./apply-command.js'),
      ]);
      exitCode = await withLockedState(
        {
          ...(globals().config ? { configPath: globals().config } : {}),
          ...(options.state ? { state: options.state } : {}),
          lockTimeoutMs: parseDuration(options.lockTimeout, '--lock-timeout'),
        },
        io,
        services,
        'refresh',
        async (context) =>
          refreshCommand(await context.providers(), context.state, io, {
            ...options,
            color: io.color && globals().color,
          }),
      );
    });

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
    use: (state: StateStore, config: LoadedConfig) => Promise<T>,
  ): Promise<T> {
    const config = await loadCliConfig();
    const { openCliState } = await import('./open-state.js');
    const state = await openCliState({
      ...(flag ? { flag } : {}),
      config,
      cwd: io.cwd,
      env: io.env,
      create: false,
    });
    try {
      return await use(state, config);
    } finally {
      await state.close();
    }
  }

  async function loadCliConfig(): Promise<LoadedConfig> {
    const { loadConfig } = await import('../config/config.js');
    const config = await loadConfig({ cwd: io.cwd, explicitPath: globals().config, env: io.env });
    const errors = config.diagnostics.filter((diagnostic) => diagnostic.severity === 'error');
    if (errors.length > 0)
      throw new ConductorError({
        code: 'config-invalid',
        summary: errors.map((error) => error.summary).join(' '),
        detail: errors.map((error) => error.detail).join(' '),
        exitCode: EXIT.usage,
      });
    return config;
  }

  async function withProviders<T>(
    config: LoadedConfig,
    use: (providers: OpenedProviders) => Promise<T>,
  ): Promise<T> {
    const { openProviders } = await import('./providers.js');
    const providers = await openProviders(config, io, services);
    try {
      return await use(providers);
    } finally {
      await providers.close();
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
  overridePolicy?: string[];
  reason?: string;
  yes?: boolean;
  state?: string;
  strategy: 'eager' | 'waves';
  rollback: boolean;
  lockTimeout: string;
  concurrency?: string;
}

function modelOption(): Option {
  return new Option(
    '--model <model>',
    'who understands the request: anthropic (Claude, needs ANTHROPIC_API_KEY) or offline (default without a key)',
  ).choices(['anthropic', 'offline']);
}

function parsePort(value: string): number {
  const port = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new ConductorError({
      code: 'invalid-option',
      summary: `--http ${value} is not a port.`,
      detail: 'Give a TCP port from 1 to 65535 (e.g. --http 8765), or 0 to pick a free one.',
      exitCode: EXIT.usage,
    });
  return port;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** Exactly one of a request in words and -f FILE; returns the file, or undefined for a request. */
function requestOrFile(
  request: string | undefined,
  file: string | undefined,
  command: string,
): string | undefined {
  if (request !== undefined && file !== undefined) {
    throw new ConductorError({
      code: 'invalid-option',
      summary: `Give ${command} either a request in words or -f FILE, not both.`,
      detail: `e.g. conductor ${command} "deploy a minecraft server" or conductor ${command} -f deployment.yaml`,
      exitCode: EXIT.usage,
    });
  }
  if (request === undefined && file === undefined) {
    throw new ConductorError({
      code: 'invalid-option',
      summary: `${command} needs a request in words or -f FILE.`,
      detail: `e.g. conductor ${command} "deploy a minecraft server for 10 players" or conductor ${command} -f examples/game-server.yaml`,
      exitCode: EXIT.usage,
    });
  }
  if (request !== undefined && request.trim() === '') {
    throw new ConductorError({
      code: 'invalid-option',
      summary: 'The request is empty.',
      detail: `Say what you want, e.g. conductor ${command} "deploy a minecraft server for 10 players".`,
      exitCode: EXIT.usage,
    });
  }
  return file;
}

/** --override-policy IDs with the one --reason they share; a reason is required. */
function policyOverrides(ids: readonly string[] | undefined, reason: string | undefined) {
  if (!ids || ids.length === 0) {
    if (reason !== undefined) {
      throw new ConductorError({
        code: 'invalid-option',
        summary: '--reason is given without --override-policy.',
        detail: '--reason explains an override: add --override-policy ID, or drop --reason.',
        exitCode: EXIT.usage,
      });
    }
    return [];
  }
  if (!reason || reason.trim() === '') {
    throw new ConductorError({
      code: 'override-reason-missing',
      summary: '--override-policy needs --reason.',
      detail:
        'Say why the violation is acceptable, e.g. --reason "temporary, ticket OPS-42"; the audit log records it.',
      exitCode: EXIT.usage,
    });
  }
  return ids.map((policy) => ({ policy, reason: reason.trim() }));
}
