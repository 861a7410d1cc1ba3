// From a deployment file on disk to a checked Plan: read, parse, load config and policies, plan, evaluate policies.
// Always returns a Plan; every problem on the way is one of its diagnostics.
import { readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { LoadedConfig } from '../config/config.js';
import { conductorHome, loadConfig } from '../config/config.js';
import type { Diagnostic } from '../model/diagnostic.js';
import { hasErrors, sortDiagnostics } from '../model/diagnostic.js';
import type { LoadDeploymentResult } from '../model/load-deployment.js';
import { attachSources, parseDeploymentText } from '../model/load-deployment.js';
import type { Plan } from '../model/plan.js';
import type { Deployment } from '../model/resource.js';
import type { StateReader } from '../model/resource-record.js';
import type { TypeCatalog } from '../model/type-catalog.js';
import { planDeployment } from '../plan/planner.js';
import { builtinPolicies } from '../policy/builtin/index.js';
import { checkPlan, PolicyEngine } from '../policy/engine.js';
import { loadPolicyFiles } from '../policy/load-policies.js';

export interface PlanFileOptions {
  file: string;
  cwd: string;
  configPath?: string;
  env?: NodeJS.ProcessEnv;
  state?: StateReader;
  /** Config already loaded by the caller; loaded here otherwise. */
  config?: LoadedConfig;
  /** What the providers say about the deployment's types (schemas, replacement, references), with any problems. */
  typesFor?: (deployment: Deployment) => Promise<{ types?: TypeCatalog; diagnostics: Diagnostic[] }>;
  /** Skip policies (the graph command only needs the shape). */
  policies?: boolean;
}

export async function planFile(options: PlanFileOptions): Promise<Plan> {
  return (await planFileWithSource(options)).plan;
}

export interface PlannedFile {
  plan: Plan;
  /** The deployment as loaded, when the file could be read and parsed: apply records it so recover can re-plan. */
  deployment?: Deployment;
}

/** Like planFile, and also returns the loaded deployment. */
export async function planFileWithSource(options: PlanFileOptions): Promise<PlannedFile> {
  const path = resolve(options.cwd, options.file);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return {
      plan: emptyPlan('', [
        {
          severity: 'error',
          code: 'file-not-found',
          summary:
            code === 'ENOENT'
              ? `Deployment file ${options.file} does not exist.`
              : `Deployment file ${options.file} cannot be read.`,
          detail:
            code === 'ENOENT'
              ? `Looked for ${path}. Check the path; examples/ has deployments to start from.`
              : `${(error as Error).message}.`,
        },
      ]),
    };
  }
  const loaded = parseDeploymentText(text, { file: options.file });
  if (!loaded.deployment) return { plan: emptyPlan('', loaded.diagnostics) };
  const plan = await planChecked(loaded.deployment, options, loaded.diagnostics, loaded.locate);
  return { plan, deployment: loaded.deployment };
}

export type PlanCheckedOptions = Omit<PlanFileOptions, 'file'>;

/**
 * Plans a deployment and checks it against the policies from config: what `plan`, `apply` and `destroy` share.
 * `earlier` are diagnostics found while loading; `locate` maps addresses to file positions when there is a file.
 */
export async function planChecked(
  deployment: Deployment,
  options: PlanCheckedOptions,
  earlier: readonly Diagnostic[] = [],
  locate?: LoadDeploymentResult['locate'],
): Promise<Plan> {
  const diagnostics: Diagnostic[] = [...earlier];
  let engine: PolicyEngine | undefined;
  if (options.policies !== false) {
    const loaded = await loadPolicyEngine(options);
    engine = loaded.engine;
    diagnostics.push(...loaded.diagnostics);
    if (hasErrors(diagnostics)) return emptyPlan(deployment.name, diagnostics);
  }

  const described = options.typesFor ? await options.typesFor(deployment) : { diagnostics: [] };
  diagnostics.push(...described.diagnostics);
  let plan = await planDeployment({
    deployment,
    ...(options.state ? { state: options.state } : {}),
    ...(described.types ? { types: described.types } : {}),
  });
  plan = {
    ...plan,
    diagnostics: sortDiagnostics([
      ...diagnostics,
      ...(locate ? attachSources(plan.diagnostics, locate) : plan.diagnostics),
    ]),
  };
  if (engine && !hasErrors(plan.diagnostics)) plan = await checkPlan(plan, engine);
  return plan;
}

/** The built-in and custom policies with their settings from config, and any problems loading them. */
export async function loadPolicyEngine(
  options: PlanCheckedOptions,
): Promise<{ engine: PolicyEngine; diagnostics: Diagnostic[] }> {
  const config =
    options.config ??
    (await loadConfig({ cwd: options.cwd, explicitPath: options.configPath, env: options.env }));
  const diagnostics: Diagnostic[] = [...config.diagnostics];
  const policyPaths = (config.config.policyFiles ?? []).map((entry) => resolve(config.directory, entry));
  const homePolicies = join(conductorHome(options.env), 'policies');
  if (await isDirectory(homePolicies)) policyPaths.push(homePolicies);
  const custom = await loadPolicyFiles(policyPaths, config.directory);
  diagnostics.push(...custom.diagnostics);
  const engine = new PolicyEngine([...builtinPolicies, ...custom.policies], config.config.policies ?? {});
  diagnostics.push(...engine.diagnostics);
  return { engine, diagnostics };
}

/** The plan of an input that could not be planned: no steps, only the reasons. */
export function emptyPlan(deployment: string, diagnostics: Diagnostic[]): Plan {
  return {
    formatVersion: 1,
    deployment,
    steps: [],
    waves: [],
    criticalPath: [],
    summary: { create: 0, update: 0, replace: 0, delete: 0, same: 0 },
    diagnostics: sortDiagnostics(diagnostics),
  };
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}
