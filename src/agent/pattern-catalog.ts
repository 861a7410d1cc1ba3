// The patterns a request can become: the built-in ones plus the user's own, from `$CONDUCTOR_HOME/patterns` and the
// directories named in config (`agent.patterns`). A broken user pattern is a diagnostic naming its file; the others
// still load.
import { readdir, stat } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { builtinPatterns } from '../../patterns/index.js';
import type { LoadedConfig } from '../config/config.js';
import { conductorHome } from '../config/config.js';
import { ConductorError } from '../model/conductor-error.js';
import type { Diagnostic } from '../model/diagnostic.js';
import { definePattern, type Pattern, type PatternDefinition } from './pattern.js';

const PATTERN_EXTENSIONS = new Set(['.js', '.mjs']);

export interface PatternCatalog {
  readonly patterns: readonly Pattern[];
  readonly diagnostics: readonly Diagnostic[];
  get(name: string): Pattern | undefined;
}

export function createPatternCatalog(
  patterns: readonly Pattern[],
  diagnostics: readonly Diagnostic[] = [],
): PatternCatalog {
  const byName = new Map(patterns.map((pattern) => [pattern.name, pattern]));
  return { patterns, diagnostics, get: (name) => byName.get(name) };
}

export interface LoadPatternsOptions {
  config: LoadedConfig;
  env?: NodeJS.ProcessEnv;
}

/** What a user's pattern module hands to a default-exported function, so it needs no packages of its own. */
export interface PatternToolkit {
  definePattern: typeof definePattern;
  z: typeof z;
}

/**
 * Built-in patterns, then each user file in name order. A user pattern named like a built-in one replaces it (with a
 * warning, so the change is visible); two user files defining one name is an error for the second.
 */
export async function loadPatternCatalog(options: LoadPatternsOptions): Promise<PatternCatalog> {
  const diagnostics: Diagnostic[] = [];
  const patterns = new Map<string, Pattern>(builtinPatterns.map((pattern) => [pattern.name, pattern]));
  const fromUser = new Map<string, string>();
  for (const file of await patternFiles(options, diagnostics)) {
    let loaded: Pattern[];
    try {
      loaded = await importPatterns(file);
    } catch (error) {
      const reason = ConductorError.isInstance(error)
        ? `${error.summary} ${error.detail}`
        : error instanceof Error
          ? error.message
          : String(error);
      diagnostics.push({
        severity: 'error',
        code: 'pattern-invalid',
        summary: `Pattern file ${file} could not be loaded; its patterns are not available.`,
        detail: reason,
      });
      continue;
    }
    for (const pattern of loaded) {
      const earlier = fromUser.get(pattern.name);
      if (earlier) {
        diagnostics.push({
          severity: 'error',
          code: 'pattern-duplicate',
          summary: `Pattern "${pattern.name}" in ${file} is already defined in ${earlier}; the first one is used.`,
          detail: 'Rename one of them: pattern names must be unique.',
        });
        continue;
      }
      if (patterns.has(pattern.name)) {
        diagnostics.push({
          severity: 'warning',
          code: 'pattern-overrides-builtin',
          summary: `Pattern "${pattern.name}" in ${file} replaces the built-in pattern of that name.`,
          detail: 'Rename it to keep the built-in one as well.',
        });
      }
      fromUser.set(pattern.name, file);
      patterns.set(pattern.name, { ...pattern, source: file });
    }
  }
  return createPatternCatalog([...patterns.values()], diagnostics);
}

async function patternFiles(options: LoadPatternsOptions, diagnostics: Diagnostic[]): Promise<string[]> {
  const { config } = options;
  const configured = (config.config.agent?.patterns ?? []).map((entry) => ({
    path: resolve(config.directory, entry),
    required: true,
  }));
  const home = { path: join(conductorHome(options.env), 'patterns'), required: false };
  const files: string[] = [];
  for (const { path, required } of [home, ...configured]) {
    let isDirectory: boolean;
    try {
      isDirectory = (await stat(path)).isDirectory();
    } catch {
      if (required) {
        diagnostics.push({
          severity: 'error',
          code: 'pattern-path-missing',
          summary: `Pattern path ${path} does not exist.`,
          detail: `Check "agent.patterns" in ${config.file ?? 'the config'}; paths are relative to the config file.`,
        });
      }
      continue;
    }
    if (!isDirectory) {
      files.push(path);
      continue;
    }
    const names = (await readdir(path)).filter((name) => PATTERN_EXTENSIONS.has(extname(name))).sort();
    files.push(...names.map((name) => join(path, name)));
  }
  return files;
}

/**
 * A module default-exports a pattern (definePattern({...}) or the plain definition), a list of them, or a function
 * that receives `{ definePattern, z }` and returns either.
 */
async function importPatterns(file: string): Promise<Pattern[]> {
  const module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  let exported = module.default ?? module.patterns ?? module.pattern;
  if (exported === undefined) {
    throw new ConductorError({
      code: 'pattern-invalid',
      summary: 'The file exports no pattern.',
      detail:
        'Default-export definePattern({ ... }), a list of them, or ({ definePattern, z }) => definePattern({ ... }).',
    });
  }
  if (typeof exported === 'function') {
    const toolkit: PatternToolkit = { definePattern, z };
    exported = await (exported as (toolkit: PatternToolkit) => unknown)(toolkit);
  }
  const definitions = Array.isArray(exported) ? exported : [exported];
  return definitions.map((definition) => definePattern(definition as PatternDefinition));
}
