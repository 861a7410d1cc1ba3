// The system prompt is a file, `prompts/system.md` at the package root, so it is reviewed and versioned like code.
// It is found by walking up from this module: that works from the sources (src/agent/anthropic) and from the build
// (dist/src/agent/anthropic), and in an installed package, which ships `prompts/` beside `dist/`.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConductorError } from '../../model/conductor-error.js';

export const SYSTEM_PROMPT_FILE = 'system.md';

/** The `prompts/` directory of the package this module belongs to, or undefined when there is none. */
export function packagePromptsDir(from: string = fileURLToPath(import.meta.url)): string | undefined {
  let directory = dirname(from);
  for (;;) {
    const candidate = join(directory, 'prompts');
    if (existsSync(join(candidate, SYSTEM_PROMPT_FILE))) return candidate;
    const parent = dirname(directory);
    if (parent === directory) return undefined;
    directory = parent;
  }
}

/**
 * Reads the system prompt. Trailing whitespace is trimmed so an editor's final newline does not matter; nothing else
 * is changed, so the text sent is byte-identical from one request to the next.
 */
export async function loadSystemPrompt(promptsDir?: string): Promise<string> {
  const directory = promptsDir ?? packagePromptsDir();
  const file = directory === undefined ? undefined : join(directory, SYSTEM_PROMPT_FILE);
  let text: string | undefined;
  if (file !== undefined) {
    try {
      text = await readFile(file, 'utf8');
    } catch {
      text = undefined;
    }
  }
  if (text === undefined || text.trim() === '') {
    throw new ConductorError({
      code: 'prompt-missing',
      summary: `The system prompt ${file ?? `prompts/${SYSTEM_PROMPT_FILE}`} could not be read${text === undefined ? '' : ' (it is empty)'}.`,
      detail:
        'Conductor sends it to Claude with every request. Reinstall Conductor (the package ships prompts/), or point promptsDir at a directory that holds system.md.',
      exitCode: 2,
    });
  }
  return text.trimEnd();
}
