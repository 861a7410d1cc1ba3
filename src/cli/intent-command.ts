// `conductor intent [--json] [TEXT]`: what a request means, as DESIGN.md's Intent, and nothing else: no plan, no
// state written, no audit entry. With no TEXT it reads one request per line from stdin and writes one JSON line each.
import { createInterface } from 'node:readline';
import { chooseIntentModel } from '../agent/choose-model.js';
import type { IntentContext } from '../agent/intent-model.js';
import { loadPatternCatalog } from '../agent/pattern-catalog.js';
import { loadConfig } from '../config/config.js';
import { ConductorError } from '../model/conductor-error.js';
import { EXIT } from './exit-codes.js';
import type { CliIo } from './main.js';
import { openCliState } from './open-state.js';

export interface IntentCommandOptions {
  text?: string;
  json?: boolean;
  model?: string;
  configPath?: string;
  state?: string;
}

export async function intentCommand(options: IntentCommandOptions, io: CliIo): Promise<number> {
  const config = await loadConfig({ cwd: io.cwd, explicitPath: options.configPath, env: io.env });
  const configError = config.diagnostics.find((diagnostic) => diagnostic.severity === 'error');
  if (configError) {
    throw new ConductorError({ ...configError, exitCode: EXIT.usage });
  }
  const catalog = await loadPatternCatalog({ config, env: io.env });
  for (const diagnostic of catalog.diagnostics) {
    io.stderr(`${diagnostic.severity}: ${diagnostic.summary}\n  ${diagnostic.detail}\n`);
  }
  const chosen = await chooseIntentModel({
    ...(options.model ? { flag: options.model } : {}),
    config: config.config,
    env: io.env,
  });
  io.stderr(`${chosen.notice}\n`);
  // Existing deployments are targets for modify and destroy; reading them must not create a state file.
  const state = await openCliState({ flag: options.state, config, cwd: io.cwd, env: io.env, create: false });
  let context: IntentContext;
  try {
    const deployments = await state.listDeployments();
    context = {
      patterns: catalog.patterns,
      deployments: deployments.map((record) => ({
        name: record.name,
        ...(record.pattern ? { pattern: record.pattern } : {}),
        ...(record.params ? { params: record.params } : {}),
      })),
    };
  } finally {
    await state.close();
  }
  const print = (value: unknown) =>
    io.stdout(`${options.json ? JSON.stringify(value) : JSON.stringify(value, null, 2)}\n`);

  if (options.text !== undefined) {
    const result = await chosen.model.parse(options.text, context);
    print(result.intent);
    return EXIT.ok;
  }
  // One request per line: each answer is written as soon as it is known, so a pipe can be read as it goes.
  const reader = createInterface({ input: process.stdin, terminal: false });
  for await (const line of reader) {
    if (line.trim() === '') continue;
    try {
      const result = await chosen.model.parse(line, context);
      print(result.intent);
    } catch (error) {
      if (!ConductorError.isInstance(error)) throw error;
      // One bad line does not end the stream; the error takes its line, with its code.
      print({ error: { code: error.code, summary: error.summary, detail: error.detail }, input: line });
    }
  }
  return EXIT.ok;
}
