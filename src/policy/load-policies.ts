// Loads custom policies from JavaScript files (each default-exports definePolicy(...) or a list of them). A broken
// file is a diagnostic naming it, not a crash.
import { readdir, stat } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConductorError } from '../model/conductor-error.js';
import type { Diagnostic } from '../model/diagnostic.js';
import { definePolicy, type Policy, type PolicyDefinition } from './policy.js';

const POLICY_EXTENSIONS = new Set(['.js', '.mjs']);

export interface LoadedPolicies {
  policies: Policy[];
  diagnostics: Diagnostic[];
}

/** `paths` are files or directories (every .js/.mjs file inside), relative to `baseDirectory`. */
export async function loadPolicyFiles(
  paths: readonly string[],
  baseDirectory: string,
): Promise<LoadedPolicies> {
  const policies: Policy[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const path of paths) {
    const absolute = resolve(baseDirectory, path);
    let files: string[];
    try {
      const info = await stat(absolute);
      files = info.isDirectory()
        ? (await readdir(absolute))
            .filter((name) => POLICY_EXTENSIONS.has(extname(name)))
            .sort()
            .map((name) => join(absolute, name))
        : [absolute];
    } catch {
      diagnostics.push({
        severity: 'error',
        code: 'policy-file-missing',
        summary: `Policy path ${absolute} does not exist.`,
        detail: 'Check "policyFiles" in the config; paths are relative to the config file.',
      });
      continue;
    }
    for (const file of files) {
      try {
        const module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
        const exported = module.default ?? module.policies ?? module.policy;
        if (exported === undefined) {
          throw new ConductorError({
            code: 'invalid-policy',
            summary: 'The file exports no policy.',
            detail: 'Default-export definePolicy({ ... }) or a list of them.',
          });
        }
        // All or nothing per file: a file with one broken policy loads none, as its diagnostic says.
        const definitions = Array.isArray(exported) ? exported : [exported];
        policies.push(...definitions.map((definition) => definePolicy(definition as PolicyDefinition)));
      } catch (error) {
        const detail = ConductorError.isInstance(error)
          ? `${error.summary} ${error.detail}`
          : error instanceof Error
            ? error.message
            : String(error);
        diagnostics.push({
          severity: 'error',
          code: 'invalid-policy-file',
          summary: `Policy file ${file} could not be loaded.`,
          detail: `${detail} Fix the file or remove it from "policyFiles".`,
        });
      }
    }
  }
  return { policies, diagnostics };
}
