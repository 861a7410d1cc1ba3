// The intent model an eval runs, with what it needs around each case: nothing for the offline parser; for Claude, a
// recording of each case's responses (`--record DIR`); for replay, that case's recording served to the real SDK.
import type { IntentModel } from '../agent/intent-model.js';
import { ConductorError } from '../model/conductor-error.js';
import type { LoadedCase } from './cases.js';
import { readRecording, recordingFetch, writeRecording } from './recordings.js';
import { startReplayServer } from './replay-server.js';

/** What keeps a case from running or being trusted, with a stable code. */
export interface CaseProblem {
  code: string;
  summary: string;
}

export type CasePreparation =
  | { status: 'run' }
  /** Not scored at all (a case without a recording when replaying). */
  | { status: 'skip'; reason: string }
  /** Scored as a failure, without calling the model. */
  | { status: 'error'; problem: CaseProblem };

export interface CaseFinish {
  /** Replaces the model's error: the recording, not the model, is what went wrong. */
  problem?: CaseProblem;
  /** Worth saying, not a failure (a recorded response the run did not need). */
  note?: string;
}

export interface EvalModel {
  /** `offline`, `anthropic`, `replay`, or the wrapped model's kind. */
  readonly kind: string;
  readonly model: IntentModel;
  prepare?(evalCase: LoadedCase): Promise<CasePreparation>;
  finish?(evalCase: LoadedCase): Promise<CaseFinish>;
  close?(): Promise<void>;
}

/** Any IntentModel as it is (the offline parser, a scripted model in tests). */
export function plainEvalModel(model: IntentModel): EvalModel {
  return { kind: model.kind, model };
}

export async function offlineEvalModel(): Promise<EvalModel> {
  const { createOfflineModel } = await import('../agent/offline/index.js');
  return plainEvalModel(createOfflineModel());
}

export interface AnthropicEvalOptions {
  apiKey: string | undefined;
  /** The Claude model; default the agent's. */
  model?: string;
  baseURL?: string;
  timeoutMs?: number;
  maxRetries?: number;
  /** Save each case's responses to DIR/<case-id>.json. */
  recordDir?: string;
  fetch?: typeof globalThis.fetch;
}

export async function anthropicEvalModel(options: AnthropicEvalOptions): Promise<EvalModel> {
  const apiKey = options.apiKey?.trim();
  if (!apiKey) {
    throw new ConductorError({
      code: 'anthropic-key-missing',
      summary: '--model anthropic needs an API key, and ANTHROPIC_API_KEY is not set.',
      detail:
        'Set ANTHROPIC_API_KEY to evaluate Claude, or use --model replay to run the recorded responses (no key), or --model offline.',
      exitCode: 2,
    });
  }
  const recorder = options.recordDir ? recordingFetch(options.fetch) : undefined;
  const fetch = recorder?.fetch ?? options.fetch;
  const { createAnthropicModel } = await import('../agent/anthropic/index.js');
  const model = createAnthropicModel({
    apiKey,
    ...(options.model ? { model: options.model } : {}),
    ...(options.baseURL ? { baseURL: options.baseURL } : {}),
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.maxRetries !== undefined ? { maxRetries: options.maxRetries } : {}),
    ...(fetch ? { fetch } : {}),
  });
  const recordDir = options.recordDir;
  return {
    kind: 'anthropic',
    model,
    async prepare() {
      recorder?.take();
      return { status: 'run' };
    },
    async finish(evalCase) {
      if (!recorder || !recordDir) return {};
      const responses = recorder.take();
      if (responses.length === 0) return {};
      await writeRecording(recordDir, {
        id: evalCase.id,
        input: evalCase.input,
        source: 'captured',
        recordedAt: new Date().toISOString(),
        responses,
      });
      return {};
    },
  };
}

export interface ReplayEvalOptions {
  /** Where the recordings are (`<case-id>.json`). */
  dir: string;
  /** The Claude model named in requests; answers carry the recorded model. */
  model?: string;
}

/** Claude through the real SDK, answered from recordings by a local server. Close it to stop the server. */
export async function replayEvalModel(options: ReplayEvalOptions): Promise<EvalModel> {
  const server = await startReplayServer();
  const { createAnthropicModel } = await import('../agent/anthropic/index.js');
  const model = createAnthropicModel({
    // The replay server ignores the key; the SDK wants one.
    apiKey: 'replay-needs-no-key',
    baseURL: server.url,
    ...(options.model ? { model: options.model } : {}),
    // A recorded 5xx is replayed as recorded, and so is what came after it; nothing else is retried.
    maxRetries: 2,
  });
  let recorded = 0;
  return {
    kind: 'replay',
    model: { kind: 'replay', label: `${model.label}, replayed from ${options.dir}`, parse: model.parse },
    async prepare(evalCase) {
      server.serve([]);
      const read = await readRecording(options.dir, evalCase.id);
      if (read.status === 'missing') return { status: 'skip', reason: `no recording in ${options.dir}` };
      if (read.status === 'invalid') {
        return { status: 'error', problem: { code: 'recording-invalid', summary: read.message } };
      }
      const { recording } = read;
      if (recording.input !== undefined && recording.input.trim() !== evalCase.input.trim()) {
        return {
          status: 'error',
          problem: {
            code: 'recording-stale',
            summary: `The recording answers "${recording.input}", but the case now says "${evalCase.input}"; record it again.`,
          },
        };
      }
      recorded = recording.responses.length;
      server.serve(recording.responses);
      return { status: 'run' };
    },
    async finish() {
      if (server.overrun > 0) {
        return {
          problem: {
            code: 'recording-exhausted',
            summary: `The run needed more responses than the ${recorded} recorded (the code now asks again where it did not); record the case again.`,
          },
        };
      }
      if (server.served < recorded) {
        return { note: `${recorded - server.served} of ${recorded} recorded responses were not needed.` };
      }
      return {};
    },
    close: () => server.close(),
  };
}
