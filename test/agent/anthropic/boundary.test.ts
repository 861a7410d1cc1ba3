// The vendor SDK stays behind the IntentModel interface: only src/agent/anthropic imports it.
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));

async function sourceFiles(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((entry) =>
      entry.isDirectory()
        ? sourceFiles(join(directory, entry.name))
        : Promise.resolve(entry.name.endsWith('.ts') ? [join(directory, entry.name)] : []),
    ),
  );
  return nested.flat();
}

it('only src/agent/anthropic imports @anthropic-ai/sdk', async () => {
  const importers: string[] = [];
  for (const file of await sourceFiles(join(root, 'src'))) {
    const text = await readFile(file, 'utf8');
    if (/from\s+['"]@anthropic-ai\/sdk|import\(\s*['"]@anthropic-ai\/sdk/.test(text)) {
      importers.push(relative(root, file));
    }
  }
  expect(importers.length).toBeGreaterThan(0);
  expect(importers.filter((file) => !file.startsWith('src/agent/anthropic/'))).toEqual([]);
});
