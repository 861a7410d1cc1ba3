// Claude's path without a key: the shipped recordings (evals/recordings) replayed to the real SDK by the replay
// server, through the runner and through the compiled CLI; recording with --record against a local Messages API and
// replaying what was recorded; and what a recording that no longer fits its case is reported as.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinPatterns } from '../../patterns/index.js';
import { createPatternCatalog } from '../../src/agent/pattern-catalog.js';
import { safetyInfrastructure } from '../../src/cli/eval-command.js';
import { run as runCli } from '../../src/cli/main.js';
import { loadCases } from '../../src/evals/cases.js';
import { replayEvalModel } from '../../src/evals/eval-model.js';
import { defaultRecordingsDir, type Recording, readRecording } from '../../src/evals/recordings.js';
import { type EvalSummary, summarize } from '../../src/evals/report.js';
import { runEvals } from '../../src/evals/run.js';
import { bin } from '../support/cli-project.js';
import {
  type FakeMessagesServer,
  startFakeMessagesServer,
  toolCall,
} from '../support/fake-messages-server.js';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
const recordingsDir = defaultRecordingsDir();
const recorded = readdirSync(recordingsDir)
  .filter((name) => name.endsWith('.json'))
  .map((name) => name.slice(0, -'.json'.length));

function quietIo(cwd: string, env: NodeJS.ProcessEnv = {}) {
  let stdout = '';
  let stderr = '';
  return {
    io: {
      stdout: (text: string) => {
        stdout += text;
      },
      stderr: (text: string) => {
        stderr += text;
      },
      cwd,
      env: { CONDUCTOR_HOME: mkdtempSync(join(tmpdir(), 'conductor-eval-replay-')), ...env },
      color: false,
    },
    output: () => ({ stdout, stderr }),
  };
}

describe('the shipped recordings', () => {
  it('cover at least 30 cases, every one of them a case in evals/cases, and each says how it was made', async () => {
    expect(recorded.length).toBeGreaterThanOrEqual(30);
    const { cases, diagnostics } = await loadCases();
    expect(diagnostics).toEqual([]);
    const ids = new Set(cases.map((entry) => entry.id));
    for (const id of recorded) {
      expect(ids.has(id), `${id}.json names no case`).toBe(true);
      const read = await readRecording(recordingsDir, id);
      expect(read.status, id).toBe('found');
      const recording = (read as { recording: Recording }).recording;
      expect(['hand-authored', 'captured']).toContain(recording.source);
      expect(recording.input).toBe(cases.find((entry) => entry.id === id)!.input);
    }
  });

  it('replay through the real SDK: every recorded case is exact, the others are skipped, tokens are counted', async () => {
    const { cases } = await loadCases();
    const evalModel = await replayEvalModel({ dir: recordingsDir });
    const cwd = mkdtempSync(join(tmpdir(), 'conductor-eval-replay-'));
    let summary: EvalSummary;
    try {
      const run = await runEvals({
        cases,
        evalModel,
        catalog: createPatternCatalog(builtinPatterns),
        safety: safetyInfrastructure(quietIo(cwd).io),
      });
      summary = summarize(run);
    } finally {
      await evalModel.close?.();
    }
    const failing = summary.failures.map(
      (failure) => `${failure.id}: ${JSON.stringify(failure.differences ?? failure.error)}`,
    );
    expect(summary.cases, 'every recording is used').toBe(recorded.length);
    expect(summary.exact, failing.join('\n')).toBe(1);
    expect(summary.errors).toBe(0);
    expect(summary.skipped).toHaveLength(cases.length - recorded.length);
    expect(summary.modelName).toBe('claude-sonnet-5-5');
    expect(summary.usage).toMatchObject({ casesWithUsage: recorded.length, cacheHits: recorded.length - 1 });
    // web-003 is a repair round: two recorded responses, two requests.
    expect(summary.results.find((line) => line.id === 'web-003')).toMatchObject({ requests: 2, exact: true });
    expect(summary.safety.cases).toBeGreaterThan(0);
    expect(summary.safety.failures).toEqual([]);
    expect(summary.results.filter((line) => line.note)).toEqual([]);
  });

  it('`conductor eval --model replay` through the compiled CLI exits 0 at 100% for the recorded cases', () => {
    const home = mkdtempSync(join(tmpdir(), 'conductor-eval-bin-'));
    const result = spawnSync(
      process.execPath,
      [bin, 'eval', '--model', 'replay', '--json', '--threshold', '100'],
      {
        cwd: home,
        encoding: 'utf8',
        env: { ...process.env, NO_COLOR: '1', CONDUCTOR_HOME: home, ANTHROPIC_API_KEY: '' },
        timeout: 120_000,
      },
    );
    expect(result.status, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout) as EvalSummary;
    expect(summary).toMatchObject({ model: 'replay', cases: recorded.length, exact: 1, passed: true });
    expect(result.stderr).toContain('replayed from');
  });
});

describe('record, then replay', () => {
  let server: FakeMessagesServer;
  beforeAll(async () => {
    server = await startFakeMessagesServer();
  });
  afterAll(() => server.close());

  it('--record saves the responses of each case, and --model replay DIR gives the same results without a key', async () => {
    const answers: Record<string, ReturnType<typeof toolCall>> = {
      'minecraft server for 10 players': toolCall('game-server', { game: 'minecraft', players: 10 }),
      'order a pizza': toolCall('unsupported_request', { reason: 'Conductor does not order food.' }),
      'make it 8 GB': toolCall('modify_deployment', { target: 'minecraft', changes: { memoryGb: 8 } }),
    };
    server.respondWith((request) => {
      const text = JSON.stringify(request.body.messages);
      const entry = Object.entries(answers).find(([input]) =>
        text.includes(`<request>\\n${input}\\n</request>`),
      );
      return entry
        ? entry[1]
        : { type: 'error', status: 400, errorType: 'invalid_request_error', message: 'unknown' };
    });
    const dir = mkdtempSync(join(tmpdir(), 'conductor-eval-recorded-'));
    const recording = quietIo(fixtures, {
      ANTHROPIC_API_KEY: 'sk-ant-test-key',
      ANTHROPIC_BASE_URL: server.url,
    });
    const code = await runCli(
      ['eval', '--model', 'anthropic', '--record', dir, '--cases', 'cases', '--json'],
      recording.io,
    );
    expect(code, recording.output().stderr).toBe(0);
    const live = JSON.parse(recording.output().stdout) as EvalSummary;
    expect(live).toMatchObject({ model: 'anthropic', cases: 3, exact: 1 });
    expect(readdirSync(dir).sort()).toEqual([
      'fixture-deploy.json',
      'fixture-modify.json',
      'fixture-unsupported.json',
    ]);
    const saved = JSON.parse(readFileSync(join(dir, 'fixture-deploy.json'), 'utf8')) as Recording;
    expect(saved).toMatchObject({
      id: 'fixture-deploy',
      input: 'minecraft server for 10 players',
      source: 'captured',
    });
    expect(saved.responses).toHaveLength(1);
    expect(saved.responses[0]).toMatchObject({
      status: 200,
      headers: { 'content-type': 'application/json', 'request-id': 'req_fake' },
      body: { type: 'message', content: [{ type: 'tool_use', name: 'game-server' }] },
    });
    expect(readFileSync(join(dir, 'fixture-deploy.json'), 'utf8')).not.toContain('sk-ant-test-key');

    const sent = server.messageRequests.length;
    const replay = quietIo(fixtures, { ANTHROPIC_API_KEY: '' });
    const replayCode = await runCli(
      ['eval', '--model', 'replay', dir, '--cases', 'cases', '--json'],
      replay.io,
    );
    expect(replayCode, replay.output().stderr).toBe(0);
    const replayed = JSON.parse(replay.output().stdout) as EvalSummary;
    expect(replayed).toMatchObject({ model: 'replay', cases: 3, exact: 1, byKind: live.byKind });
    expect(replayed.usage).toEqual(live.usage);
    expect(server.messageRequests.length, 'replay never reaches the API').toBe(sent);
  });
});

describe('a recording that no longer fits its case', () => {
  async function replayOne(dir: string, caseFile = 'cases/small.jsonl') {
    const { cases } = await loadCases({ paths: [caseFile], cwd: fixtures });
    const evalModel = await replayEvalModel({ dir });
    try {
      return await runEvals({ cases, evalModel, catalog: createPatternCatalog(builtinPatterns) });
    } finally {
      await evalModel.close?.();
    }
  }

  function message(name: string, input: unknown) {
    return {
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: {
        id: 'msg_test',
        type: 'message',
        role: 'assistant',
        model: 'claude-sonnet-5-5',
        content: [{ type: 'tool_use', id: 'toolu_test', name, input }],
        stop_reason: 'tool_use',
        stop_sequence: null,
        usage: {
          input_tokens: 10,
          output_tokens: 5,
          cache_read_input_tokens: 0,
          cache_creation_input_tokens: 0,
        },
      },
    };
  }

  it('is stale when the case says something else now, exhausted when the run needs more, and skipped when absent', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'conductor-eval-stale-'));
    writeFileSync(
      join(dir, 'fixture-deploy.json'),
      JSON.stringify({
        id: 'fixture-deploy',
        input: 'valheim server for 10 players',
        responses: [message('game-server', { game: 'valheim' })],
      }),
    );
    // An unknown parameter starts a repair round, for which nothing was recorded.
    writeFileSync(
      join(dir, 'fixture-unsupported.json'),
      JSON.stringify([message('game-server', { game: 'minecraft', flavour: 'pizza' })]),
    );
    const run = await replayOne(dir);
    expect(
      run.results.map((result) => [result.id, result.status, result.error?.code ?? result.skipped]),
    ).toEqual([
      ['fixture-deploy', 'error', 'recording-stale'],
      ['fixture-unsupported', 'error', 'recording-exhausted'],
      ['fixture-modify', 'skipped', `no recording in ${dir}`],
    ]);
  });

  it('is invalid when the file is not a recording, and says which file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'conductor-eval-invalid-'));
    writeFileSync(join(dir, 'fixture-deploy.json'), '{ "responses": 3 }');
    const run = await replayOne(dir);
    expect(run.results[0]).toMatchObject({ status: 'error', error: { code: 'recording-invalid' } });
    expect(run.results[0]!.error!.summary).toContain(join(dir, 'fixture-deploy.json'));
  });

  it('notes recorded responses the run did not need', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'conductor-eval-unused-'));
    writeFileSync(
      join(dir, 'fixture-unsupported.json'),
      JSON.stringify([
        message('unsupported_request', { reason: 'Not infrastructure.' }),
        message('unsupported_request', { reason: 'Still not.' }),
      ]),
    );
    const run = await replayOne(dir);
    expect(run.results[1]).toMatchObject({
      status: 'scored',
      exact: true,
      note: '1 of 2 recorded responses were not needed.',
    });
  });
});
