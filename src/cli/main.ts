// The `conductor` command line. Commands load their modules lazily so `conductor --help` starts fast.
import { Command, CommanderError, Option } from 'commander';
import { ConductorError } from '../model/conductor-error.js';
import { EXIT, exitCodeForPlan } from './exit-codes.js';
import { readVersion } from './version.js';

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Whether stdout is a terminal that shows colour. */
  color: boolean;
}

/** Runs one command line; resolves to the exit code. Never throws. */
export async function run(argv: readonly string[], io: CliIo): Promise<number> {
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

  program
    .command('plan')
    .description(
      'Plan a deployment file and print the review: what would change, in which order, and policy results.',
    )
    .requiredOption('-f, --file <file>', 'deployment description (JSON or YAML)')
    .option('--json', 'print the plan as JSON (secrets masked)')
    .option('--show-unchanged', 'list unchanged resources one by one')
    .addHelpText(
      'after',
      '\nExit codes: 0 the plan is ready, 2 the input is invalid (bad file, unresolved reference, cycle), 3 a mandatory policy failed.',
    )
    .action(async (options: { file: string; json?: boolean; showUnchanged?: boolean }) => {
      const global = program.opts<{ config?: string; color: boolean }>();
      const [{ planFile }, { renderPlan }, { redactPlan }] = await Promise.all([
        import('./plan-file.js'),
        import('../review/render-plan.js'),
        import('../review/redact.js'),
      ]);
      const plan = await planFile({
        file: options.file,
        cwd: io.cwd,
        configPath: global.config,
        env: io.env,
      });
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
