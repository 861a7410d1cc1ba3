// `conductor chat`: the conversational REPL. Each line is a request (or a /command); plans are reviewed and approved
// with @inquirer/prompts; Ctrl-C cancels the request in progress, not the REPL. History persists in
// $CONDUCTOR_HOME/chat_history. Without a terminal it reads requests line by line and never applies without --yes.
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import { ConversationSession, type ConversationUi, type TurnOutcome } from '../agent/session.js';
import { conductorHome } from '../config/config.js';
import { ConductorError } from '../model/conductor-error.js';
import { renderPlan } from '../review/render-plan.js';
import { renderDeployments, renderResources } from '../review/render-state.js';
import type { AgentInfrastructureOptions } from './agent-infrastructure.js';
import { EXIT } from './exit-codes.js';
import type { CliIo, CliServices } from './main.js';
import { type OpenedAgent, openAgent } from './open-agent.js';

export interface ChatOptions extends AgentInfrastructureOptions {
  model?: string;
}

const HISTORY_LIMIT = 1000;
const PROMPT = 'conductor> ';

export async function chatCommand(options: ChatOptions, io: CliIo, services: CliServices): Promise<number> {
  const agent = await openAgent(options, io, services);
  const terminal = Boolean(process.stdin.isTTY && process.stdout.isTTY);
  const input = terminal ? undefined : new LineReader();
  try {
    // Starts the providers now, so the sandbox notice (if any) comes before the first prompt.
    await agent.infrastructure.providers();
    io.stdout(banner(agent, terminal));
    const ui = terminal ? terminalUi(io, options) : lineUi(io, options, input!);
    const session = new ConversationSession({
      model: agent.model,
      catalog: agent.catalog,
      infrastructure: agent.infrastructure,
      ui,
      audit: agent.audit,
      command: 'chat',
      ...(options.overrides?.length ? { overrides: options.overrides } : {}),
      approvedByFlag: options.yes,
    });
    const historyFile = join(conductorHome(io.env), 'chat_history');
    const history = terminal ? await readHistory(historyFile) : [];
    for (;;) {
      const line = terminal ? await promptLine(history) : await input!.next(PROMPT, io);
      if (line === undefined) break;
      const request = line.trim();
      if (request === '') continue;
      if (terminal) {
        history.unshift(request);
        await rememberLine(historyFile, request);
      }
      if (request === '/exit' || request === '/quit') break;
      await runCancellable(io, (signal) => dispatch(request, session, agent, io, signal));
    }
    io.stdout('Bye.\n');
    return EXIT.ok;
  } finally {
    input?.close();
    await agent.close();
  }
}

async function dispatch(
  request: string,
  session: ConversationSession,
  agent: OpenedAgent,
  io: CliIo,
  signal: AbortSignal,
): Promise<TurnOutcome | undefined> {
  if (request.startsWith('/')) {
    const [command] = request.split(/\s+/);
    switch (command) {
      case '/help':
        io.stdout(helpText(agent));
        return undefined;
      case '/plan':
        return session.showPending();
      case '/apply':
        return session.applyPending(signal);
      case '/state': {
        const state = agent.infrastructure.state;
        const [deployments, resources] = await Promise.all([state.listDeployments(), state.listResources()]);
        const counts = new Map<string, number>();
        for (const record of resources)
          counts.set(record.deployment, (counts.get(record.deployment) ?? 0) + 1);
        io.stdout(renderDeployments(deployments, counts));
        if (resources.length > 0) io.stdout(`\n${renderResources(resources)}`);
        return undefined;
      }
      default:
        io.stdout(`Unknown command ${command}. /help lists the commands.\n`);
        return undefined;
    }
  }
  return session.handle(request, signal);
}

/**
 * Runs one request; Ctrl-C aborts its signal (the model call stops, an apply stops starting steps and rolls back) and
 * the REPL goes on. Errors a person can act on are printed, never thrown out of the loop.
 */
async function runCancellable(io: CliIo, body: (signal: AbortSignal) => Promise<unknown>): Promise<void> {
  const controller = new AbortController();
  const onInterrupt = () => {
    if (!controller.signal.aborted) {
      io.stdout('\nCancelling this request (Ctrl-C again at the prompt, or /exit, leaves the chat).\n');
      controller.abort();
    }
  };
  process.on('SIGINT', onInterrupt);
  try {
    await body(controller.signal);
  } catch (error) {
    if (controller.signal.aborted) io.stdout('Cancelled.\n');
    else if (ConductorError.isInstance(error)) io.stderr(`Error: ${error.summary}\n${error.detail}\n`);
    else if (isPromptExit(error)) io.stdout('Cancelled.\n');
    else throw error;
  } finally {
    process.off('SIGINT', onInterrupt);
  }
}

function banner(agent: OpenedAgent, terminal: boolean): string {
  const lines = [
    'Conductor chat: describe what you want, e.g. "deploy a minecraft server for 10 players on VLAN 20".',
    `${agent.notice} Nothing is applied without your approval.`,
    terminal
      ? '/help lists commands and patterns; /exit (or Ctrl-D) leaves.'
      : '/help lists commands and patterns.',
  ];
  return `${lines.join('\n')}\n\n`;
}

function helpText(agent: OpenedAgent): string {
  const patterns = agent.catalog.patterns.map(
    (pattern) =>
      `  ${pattern.name.padEnd(18)} ${pattern.description}\n  ${''.padEnd(18)} e.g. "${pattern.examples[0] ?? pattern.name}"`,
  );
  return `${[
    'Commands:',
    '  /help    this help',
    '  /plan    show the plan waiting for approval',
    '  /apply   approve and apply the waiting plan',
    '  /state   deployments and resources in state',
    '  /exit    leave (also Ctrl-D)',
    '',
    'Ask for a change ("deploy ...", "make it 8 GB", "tear down minecraft"), a fact ("what runs on VLAN 20?"),',
    'a check ("why can\'t I reach minecraft?") or a restore ("restore minecraft to yesterday").',
    '',
    'Patterns:',
    ...patterns,
  ].join('\n')}\n`;
}

/** On a terminal: inquirer prompts for questions and approval. */
function terminalUi(io: CliIo, options: ChatOptions): ConversationUi {
  return {
    say: (text) => io.stdout(`${text.replace(/\n$/, '')}\n`),
    review: (plan) => io.stdout(renderPlan(plan, { color: options.color })),
    ask: async (question) => {
      const { input } = await import('@inquirer/prompts');
      try {
        return await input({ message: question });
      } catch (error) {
        if (isPromptExit(error)) return undefined;
        throw error;
      }
    },
    approve: async (plan, { verb, canApply }) => {
      if (options.yes && canApply) return 'apply';
      const { select } = await import('@inquirer/prompts');
      try {
        return await select<'apply' | 'change' | 'later' | 'cancel'>({
          message: `${verb === 'destroy' ? 'Destroy' : 'Apply'} "${plan.deployment}"?`,
          choices: [
            {
              name: verb === 'destroy' ? 'Destroy' : 'Apply',
              value: 'apply',
              ...(canApply ? {} : { disabled: '(blocked by a mandatory policy)' }),
            },
            { name: 'Change something', value: 'change' },
            { name: 'Not now (keep it: /apply later, or describe a change)', value: 'later' },
            { name: 'Cancel', value: 'cancel' },
          ],
          default: canApply ? 'apply' : 'change',
        });
      } catch (error) {
        if (isPromptExit(error)) return 'cancel';
        throw error;
      }
    },
  };
}

/** Without a terminal: questions read the next line; approval needs --yes (nobody is there to ask). */
function lineUi(io: CliIo, options: ChatOptions, input: LineReader): ConversationUi {
  return {
    say: (text) => io.stdout(`${text.replace(/\n$/, '')}\n`),
    review: (plan) => io.stdout(renderPlan(plan, { color: options.color })),
    ask: (question) => input.next(`${question}\n> `, io),
    approve: async (_plan, { canApply }) => {
      if (options.yes && canApply) return 'apply';
      io.stdout(
        canApply
          ? 'Not applied: there is no terminal to approve in. Run `conductor chat` in a terminal to approve, or start it with --yes to approve every plan.\n'
          : 'Not applied: a mandatory policy blocks this plan.\n',
      );
      return canApply ? 'no-terminal' : 'later';
    },
  };
}

/** One line from the terminal, with history (up/down) and line editing. Undefined at Ctrl-D or a second Ctrl-C. */
function promptLine(history: string[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    const reader: Interface = createInterface({
      input: process.stdin,
      output: process.stdout,
      terminal: true,
      history: history.slice(0, HISTORY_LIMIT),
      historySize: HISTORY_LIMIT,
      removeHistoryDuplicates: true,
    });
    let settled = false;
    let interrupts = 0;
    const finish = (value: string | undefined) => {
      if (settled) return;
      settled = true;
      reader.close();
      resolve(value);
    };
    reader.on('SIGINT', () => {
      if (reader.line !== '') {
        // Ctrl-C with text typed clears the line, as shells do.
        reader.write(null, { ctrl: true, name: 'u' });
        interrupts = 0;
        return;
      }
      interrupts++;
      if (interrupts >= 2) {
        process.stdout.write('\n');
        finish(undefined);
      } else {
        process.stdout.write('\n(Ctrl-C again or /exit leaves the chat)\n');
        reader.prompt();
      }
    });
    reader.on('close', () => finish(undefined));
    reader.question(PROMPT, (answer) => finish(answer));
  });
}

/** Lines from a non-terminal stdin, one at a time, each after printing its prompt. */
class LineReader {
  private readonly reader = createInterface({ input: process.stdin, terminal: false });
  private readonly lines: string[] = [];
  private waiting: ((line: string | undefined) => void) | undefined;
  private ended = false;

  constructor() {
    this.reader.on('line', (line) => {
      if (this.waiting) {
        const resolve = this.waiting;
        this.waiting = undefined;
        resolve(line);
      } else this.lines.push(line);
    });
    this.reader.on('close', () => {
      this.ended = true;
      this.waiting?.(undefined);
      this.waiting = undefined;
    });
  }

  next(prompt: string, io: CliIo): Promise<string | undefined> {
    io.stdout(prompt);
    const line = this.lines.shift();
    if (line !== undefined) {
      io.stdout(`${line}\n`);
      return Promise.resolve(line);
    }
    if (this.ended) {
      io.stdout('\n');
      return Promise.resolve(undefined);
    }
    return new Promise((resolve) => {
      this.waiting = (value) => {
        if (value !== undefined) io.stdout(`${value}\n`);
        resolve(value);
      };
    });
  }

  close(): void {
    this.reader.close();
  }
}

async function readHistory(file: string): Promise<string[]> {
  try {
    const lines = (await readFile(file, 'utf8')).split('\n').filter((line) => line.trim() !== '');
    return lines.slice(-HISTORY_LIMIT).reverse();
  } catch {
    return [];
  }
}

async function rememberLine(file: string, line: string): Promise<void> {
  try {
    await mkdir(dirname(file), { recursive: true });
    await appendFile(file, `${line.replace(/\n/g, ' ')}\n`, { mode: 0o600 });
  } catch {
    // History is a convenience: a read-only home must not end the chat.
  }
}

function isPromptExit(error: unknown): boolean {
  return error instanceof Error && (error.name === 'ExitPromptError' || error.name === 'AbortPromptError');
}
