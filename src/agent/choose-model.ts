// Which intent model understands requests: `--model`, then `agent.model` in config, then Claude when
// ANTHROPIC_API_KEY is set, else the offline parser. The choice is always said, so nobody wonders what understood them.
import type { ConductorConfig } from '../config/config.js';
import { ConductorError } from '../model/conductor-error.js';
import type { IntentModel } from './intent-model.js';

export type ModelChoice = 'anthropic' | 'offline';

export interface ChooseModelOptions {
  /** `--model`. */
  flag?: string;
  config: ConductorConfig;
  env: NodeJS.ProcessEnv;
}

export interface ChosenModel {
  model: IntentModel;
  /** One line for the person: which model, and why. */
  notice: string;
}

export async function chooseIntentModel(options: ChooseModelOptions): Promise<ChosenModel> {
  const { flag, config, env } = options;
  if (flag !== undefined && flag !== 'anthropic' && flag !== 'offline') {
    throw new ConductorError({
      code: 'invalid-option',
      summary: `--model ${flag} is not a model Conductor knows.`,
      detail:
        'Use --model anthropic (Claude; needs ANTHROPIC_API_KEY) or --model offline (built-in parser, no network).',
      exitCode: 2,
    });
  }
  const key = env.ANTHROPIC_API_KEY?.trim();
  const choice: ModelChoice =
    (flag as ModelChoice | undefined) ?? config.agent?.model ?? (key ? 'anthropic' : 'offline');
  const why = flag
    ? 'chosen with --model'
    : config.agent?.model
      ? 'set in config (agent.model)'
      : key
        ? 'ANTHROPIC_API_KEY is set'
        : 'no ANTHROPIC_API_KEY is set';
  if (choice === 'offline') {
    const { createOfflineModel } = await import('./offline/index.js');
    const model = createOfflineModel();
    return { model, notice: `Understanding requests with the ${model.label} (${why}).` };
  }
  if (!key) {
    throw new ConductorError({
      code: 'anthropic-key-missing',
      summary: 'The anthropic model needs an API key, and ANTHROPIC_API_KEY is not set.',
      detail: 'Set ANTHROPIC_API_KEY, or use --model offline for the built-in parser.',
      exitCode: 2,
    });
  }
  const { createAnthropicModel } = await import('./anthropic/index.js');
  const model = createAnthropicModel({
    apiKey: key,
    ...(config.agent?.anthropicModel ? { model: config.agent.anthropicModel } : {}),
    ...(env.ANTHROPIC_BASE_URL ? { baseURL: env.ANTHROPIC_BASE_URL } : {}),
    ...(config.agent?.timeoutMs ? { timeoutMs: config.agent.timeoutMs } : {}),
    ...(config.agent?.maxRetries !== undefined ? { maxRetries: config.agent.maxRetries } : {}),
  });
  return { model, notice: `Understanding requests with ${model.label} (${why}).` };
}
