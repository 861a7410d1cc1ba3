// `conductor eval`: how well requests are understood, measured on the eval cases (evals/cases/*.jsonl, or --cases).
// Prints a table (or --json), optionally writes a Markdown report (--report FILE, only when asked), and exits 1 when
// the exact rate is below --threshold or an injection case was not handled safely; 2 for bad input.
//
// Models: offline (default; no network), anthropic (Claude; needs ANTHROPIC_API_KEY; --record DIR saves each case's
// responses), replay [DIR] (the recorded responses, default the package's evals/recordings, served to the real SDK).
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { loadPatternCatalog } from '../agent/pattern-catalog.js';
import { loadConfig } from '../config/config.js';
import { loadCases } from '../evals/cases.js';
import {
  anthropicEvalModel,
  type EvalModel,
  offlineEvalModel,
  replayEvalModel,
} from '../evals/eval-model.js';
import { defaultRecordingsDir } from '../evals/recordings.js';
import { renderMarkdown, renderTable, summarize } from '../evals/report.js';
import { runEvals } from '../evals/run.js';
import type { OpenSafetyInfrastructure } from '../evals/safety.js';
import { ConductorError } from '../model/conductor-error.js';
import { AgentInfrastructure } from './agent-infrastructure.js';
import { EXIT } from './exit-codes.js';
import type { CliIo } from './main.js';

export const EVAL_MODELS = ['offline', 'anthropic', 'replay'] as const;
export type EvalModelName = (typeof EVAL_MODELS)[number];

export interface EvalCommandOptions {
  /** `--model NAME [DIR]`: the name, and for replay the recordings directory. */
  model?: string[];
  /** `--cases FILE|DIR...`. */
  cases?: string[];
  json?: boolean;
  /** `--threshold N`: a fraction (0.9) or a percentage (90). */
  threshold?: string;
  /** `--record DIR` (anthropic only). */
  record?: string;
  /** `--report FILE`: the Markdown report. */
  report?: string;
  configPath?: string;
}

export async function evalCommand(options: EvalCommandOptions, io: CliIo): Promise<number> {
  const choice = parseModelChoice(options.model);
  const threshold = options.threshold === undefined ? undefined : parseThreshold(options.threshold);
  if (options.record !== undefined && choice.name !== 'anthropic') {
    throw usageError(
      '--record needs --model anthropic.',
      'Recording saves what Claude answers; e.g. conductor eval --model anthropic --record evals/recordings',
    );
  }

  const config = await loadConfig({ cwd: io.cwd, explicitPath: options.configPath, env: io.env });
  const configError = config.diagnostics.find((diagnostic) => diagnostic.severity === 'error');
  if (configError) throw new ConductorError({ ...configError, exitCode: EXIT.usage });
  const catalog = await loadPatternCatalog({ config, env: io.env });
  for (const diagnostic of catalog.diagnostics) {
    io.stderr(`${diagnostic.severity}: ${diagnostic.summary}\n  ${diagnostic.detail}\n`);
  }

  const loaded = await loadCases({ ...(options.cases?.length ? { paths: options.cases } : {}), cwd: io.cwd });
  if (loaded.diagnostics.length > 0) {
    for (const diagnostic of loaded.diagnostics) {
      io.stderr(`${diagnostic.severity}: ${diagnostic.summary}\n  ${diagnostic.detail}\n`);
    }
    io.stderr(`${loaded.diagnostics.length} problem(s) in the eval cases; nothing was run.\n`);
    return EXIT.usage;
  }

  const agent = config.config.agent;
  let evalModel: EvalModel;
  switch (choice.name) {
    case 'offline':
      evalModel = await offlineEvalModel();
      break;
    case 'anthropic':
      evalModel = await anthropicEvalModel({
        apiKey: io.env.ANTHROPIC_API_KEY,
        ...(agent?.anthropicModel ? { model: agent.anthropicModel } : {}),
        ...(io.env.ANTHROPIC_BASE_URL ? { baseURL: io.env.ANTHROPIC_BASE_URL } : {}),
        ...(agent?.timeoutMs ? { timeoutMs: agent.timeoutMs } : {}),
        ...(agent?.maxRetries !== undefined ? { maxRetries: agent.maxRetries } : {}),
        ...(options.record !== undefined ? { recordDir: resolve(io.cwd, options.record) } : {}),
      });
      break;
    case 'replay':
      evalModel = await replayEvalModel({
        dir: choice.dir ? resolve(io.cwd, choice.dir) : defaultRecordingsDir(),
        ...(agent?.anthropicModel ? { model: agent.anthropicModel } : {}),
      });
      break;
  }

  try {
    io.stderr(`Evaluating ${loaded.cases.length} cases with ${evalModel.model.label}.\n`);
    const progress = io.interactive && !options.json;
    const run = await runEvals({
      cases: loaded.cases,
      evalModel,
      catalog,
      safety: safetyInfrastructure(io, options.configPath),
      ...(progress
        ? {
            onCase: (_result, index, total) =>
              io.stderr(`\r${index + 1}/${total}${index + 1 === total ? '\n' : ''}`),
          }
        : {}),
    });
    if (options.record !== undefined) {
      io.stderr(
        `Recorded the responses in ${resolve(io.cwd, options.record)} (one <case-id>.json per case).\n`,
      );
    }
    const summary = summarize(run, threshold !== undefined ? { threshold } : {});
    io.stdout(options.json ? `${JSON.stringify(summary, null, 2)}\n` : renderTable(summary));
    if (options.report !== undefined) {
      const path = resolve(io.cwd, options.report);
      await writeFile(path, renderMarkdown(summary));
      io.stderr(`Wrote the Markdown report to ${path}.\n`);
    }
    if (summary.cases === 0) {
      io.stderr(
        `No case was run: ${summary.skipped[0]?.reason ?? 'every case was skipped'}. Record some with --model anthropic --record DIR.\n`,
      );
      return EXIT.usage;
    }
    if (summary.passed === false || summary.safety.failures.length > 0) return EXIT.failure;
    return EXIT.ok;
  } finally {
    await evalModel.close?.();
  }
}

/** Injection cases plan on empty in-memory state, with the config's policies, through a gateway that refuses changes. */
export function safetyInfrastructure(io: CliIo, configPath?: string): OpenSafetyInfrastructure {
  const quiet: CliIo = {
    ...io,
    stdout: () => {},
    stderr: () => {},
    interactive: false,
    interruptible: false,
  };
  return async ({ gateway }) => {
    const infrastructure = await AgentInfrastructure.open(
      {
        ...(configPath ? { configPath } : {}),
        color: false,
        yes: false,
        state: 'memory:',
        strategy: 'eager',
        rollback: true,
        lockTimeoutMs: 0,
      },
      quiet,
      { gateway },
    );
    return { infrastructure, state: infrastructure.state, close: () => infrastructure.close() };
  };
}

export function parseModelChoice(values: readonly string[] | undefined): {
  name: EvalModelName;
  dir?: string;
} {
  const [name = 'offline', dir, ...rest] = values ?? [];
  if (!(EVAL_MODELS as readonly string[]).includes(name)) {
    throw usageError(
      `--model ${name} is not a model the eval can run.`,
      'Use --model offline (built-in parser), --model anthropic (Claude; needs ANTHROPIC_API_KEY) or --model replay [DIR] (recorded Claude responses).',
    );
  }
  if (rest.length > 0 || (dir !== undefined && name !== 'replay')) {
    throw usageError(
      `--model ${[name, dir, ...rest].join(' ')}: only replay takes a value (its recordings directory).`,
      'e.g. --model replay evals/recordings',
    );
  }
  return { name: name as EvalModelName, ...(dir !== undefined ? { dir } : {}) };
}

/** 0.9, 90 and 90% all mean 90%. */
export function parseThreshold(text: string): number {
  const trimmed = text.trim();
  const percent = trimmed.endsWith('%');
  const value = Number(percent ? trimmed.slice(0, -1) : trimmed);
  if (trimmed === '' || !Number.isFinite(value) || value < 0 || value > 100 || (percent && value > 100)) {
    throw usageError(
      `--threshold ${text} is not a rate.`,
      'Give a fraction (0.9) or a percentage (90 or 90%) of cases that must be exact.',
    );
  }
  return percent || value > 1 ? value / 100 : value;
}

function usageError(summary: string, detail: string): ConductorError {
  return new ConductorError({ code: 'invalid-option', summary, detail, exitCode: EXIT.usage });
}
