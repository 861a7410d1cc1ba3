// `conductor eval` in process: its options, its exit codes (0 done, 1 below the threshold, 2 bad input) and the
// Markdown report it writes when asked.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseModelChoice, parseThreshold } from '../../src/cli/eval-command.js';
import { run } from '../../src/cli/main.js';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));

async function conductor(args: string[], env: NodeJS.ProcessEnv = {}) {
  const home = mkdtempSync(join(tmpdir(), 'conductor-eval-cli-'));
  let stdout = '';
  let stderr = '';
  const code = await run(
    args,
    {
      stdout: (text) => {
        stdout += text;
      },
      stderr: (text) => {
        stderr += text;
      },
      cwd: fixtures,
      env: { CONDUCTOR_HOME: home, ...env },
      color: false,
    },
    {},
  );
  return { code, stdout, stderr, home };
}

describe('conductor eval', () => {
  it('runs the cases with the offline parser by default and prints the table', async () => {
    const result = await conductor(['eval', '--cases', 'cases']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('Evaluating 3 cases with offline parser.');
    expect(result.stdout).toMatch(/^Eval: \d\/3 exact/);
    expect(result.stdout).toContain('By kind');
    expect(result.stdout).toContain('Holdout: ');
  });

  it('prints JSON with --json', async () => {
    const result = await conductor(['eval', '--cases', 'cases/small.jsonl', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(summary).toMatchObject({ model: 'offline', modelName: 'offline', cases: 3 });
    for (const key of ['exact', 'byKind', 'byPattern', 'byTag', 'failures', 'safety', 'latency']) {
      expect(summary).toHaveProperty(key);
    }
  });

  it('exits 1 below --threshold, and writes the Markdown report when asked', async () => {
    const reportFile = join(mkdtempSync(join(tmpdir(), 'conductor-eval-report-')), 'eval-report.md');
    const result = await conductor([
      'eval',
      '--cases',
      'failing',
      '--threshold',
      '90',
      '--report',
      reportFile,
    ]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('Eval: 1/2 exact (50.0%)');
    expect(result.stdout).toContain('Threshold 90.0%: FAILED (50.0% exact)');
    expect(result.stdout).toContain('  wrong-on-purpose  "order a pizza"');
    const report = readFileSync(reportFile, 'utf8');
    expect(report).toContain('## Intent evals: 1/2 exact (50.0%)');
    expect(report).toContain('| `wrong-on-purpose` | order a pizza |');
  });

  it('exits 0 at or above the threshold, and writes no report unless asked', async () => {
    const result = await conductor(['eval', '--cases', 'failing', '--threshold', '0.5']);
    expect(result.code, result.stdout).toBe(0);
    expect(result.stdout).toContain('Threshold 50.0%: passed');
    expect(existsSync(join(fixtures, 'eval-report.md'))).toBe(false);
    expect(existsSync(join(result.home, 'eval-report.md'))).toBe(false);
  });

  it('exits 2 for bad cases, naming file:line, without running anything', async () => {
    const result = await conductor(['eval', '--cases', 'bad']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`error: ${join('bad', 'broken.jsonl')}:2: not valid JSON`);
    expect(result.stderr).toContain('5 problem(s) in the eval cases; nothing was run.');
    expect(result.stdout).toBe('');
  });

  it('exits 2 for an unknown model, a value after a model other than replay, or a bad threshold', async () => {
    expect((await conductor(['eval', '--model', 'gpt'])).stderr).toContain('--model gpt is not a model');
    expect((await conductor(['eval', '--model', 'gpt'])).code).toBe(2);
    expect((await conductor(['eval', '--model', 'offline', 'somewhere'])).code).toBe(2);
    expect((await conductor(['eval', '--threshold', 'most'])).code).toBe(2);
    expect((await conductor(['eval', '--model', 'offline', '--record', 'out'])).stderr).toContain(
      '--record needs --model anthropic.',
    );
  });

  it('exits 2 with a clear message for --model anthropic without a key', async () => {
    const result = await conductor(['eval', '--model', 'anthropic', '--cases', 'cases'], {
      ANTHROPIC_API_KEY: '',
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--model anthropic needs an API key, and ANTHROPIC_API_KEY is not set.');
    expect(result.stderr).not.toContain('    at ');
  });

  it('exits 2 when replay has no recording for any case', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'conductor-eval-no-recordings-'));
    const result = await conductor(['eval', '--model', 'replay', empty, '--cases', 'cases']);
    expect(result.code).toBe(2);
    expect(result.stdout).toContain('Skipped: 3 case(s) not run (no recording in');
    expect(result.stderr).toContain('No case was run: no recording in');
  });
});

describe('option parsing', () => {
  it('reads a threshold as a fraction or a percentage', () => {
    expect(parseThreshold('0.9')).toBe(0.9);
    expect(parseThreshold('90')).toBe(0.9);
    expect(parseThreshold('90%')).toBe(0.9);
    expect(parseThreshold('1')).toBe(1);
    expect(parseThreshold('100')).toBe(1);
    for (const bad of ['', 'abc', '-1', '101', '150%'])
      expect(() => parseThreshold(bad)).toThrow(/is not a rate/);
  });

  it('reads --model NAME [DIR]', () => {
    expect(parseModelChoice(undefined)).toEqual({ name: 'offline' });
    expect(parseModelChoice(['replay'])).toEqual({ name: 'replay' });
    expect(parseModelChoice(['replay', 'recordings'])).toEqual({ name: 'replay', dir: 'recordings' });
    expect(() => parseModelChoice(['anthropic', 'x'])).toThrow(/only replay takes a value/);
  });
});
