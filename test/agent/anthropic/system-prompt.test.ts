// The system prompt is prompts/system.md, found from the sources and from the build alike, and sent as it is.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { loadSystemPrompt, packagePromptsDir } from '../../../src/agent/anthropic/index.js';
import { ConductorError } from '../../../src/model/conductor-error.js';
import { toolCall } from '../../support/fake-messages-server.js';
import { context, harness } from './harness.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const promptsDir = join(root, 'prompts');

const temporary: string[] = [];
afterEach(async () => {
  await Promise.all(temporary.splice(0).map((directory) => rm(directory, { recursive: true, force: true })));
});

describe('the system prompt', () => {
  it('is found from the sources and from the build output', () => {
    expect(packagePromptsDir()).toBe(promptsDir);
    expect(packagePromptsDir(join(root, 'src/agent/anthropic/system-prompt.ts'))).toBe(promptsDir);
    expect(packagePromptsDir(join(root, 'dist/src/agent/anthropic/system-prompt.js'))).toBe(promptsDir);
    expect(packagePromptsDir('/system-prompt.js')).toBeUndefined();
  });

  it('is the file, with trailing whitespace trimmed, and holds no per-request data', async () => {
    const file = await readFile(join(promptsDir, 'system.md'), 'utf8');
    const prompt = await loadSystemPrompt();
    expect(prompt).toBe(file.trimEnd());
    expect(prompt).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
    expect(prompt).toContain('exactly one tool');
  });

  it('comes from promptsDir when given', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'conductor-prompts-'));
    temporary.push(directory);
    await writeFile(join(directory, 'system.md'), 'Custom prompt.\n\n');
    const { server, model } = await harness([toolCall('game-server', { game: 'minecraft' })], {
      promptsDir: directory,
    });
    await model.parse('deploy minecraft', context());
    expect(server.messageRequests[0]!.body.system[0].text).toBe('Custom prompt.');
  });

  it('missing: a clear error, and no request is sent', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'conductor-prompts-'));
    temporary.push(directory);
    const { server, model } = await harness([toolCall('game-server', { game: 'minecraft' })], {
      promptsDir: directory,
    });
    const error = await model.parse('deploy minecraft', context()).catch((caught: unknown) => caught);
    expect(ConductorError.isInstance(error) && error.code).toBe('prompt-missing');
    expect((error as ConductorError).summary).toContain(join(directory, 'system.md'));
    expect(server.requests).toHaveLength(0);
    // Read again on the next parse, so fixing the file needs no restart.
    await writeFile(join(directory, 'system.md'), 'Now it exists.');
    await model.parse('deploy minecraft', context());
    expect(server.messageRequests[0]!.body.system[0].text).toBe('Now it exists.');
  });
});
