// The planner benchmark: Conductor's planning pipeline (parse and validate the JSON text, resolve references, build
// the graph, compute waves, evaluate policies) on generated deployments of 1k, 10k and 100k resources, next to the
// origin document's algorithm (bench/seed) on the same text at 1k and 10k.
import { cpus } from 'node:os';
import { emptyPlan } from '../src/cli/plan-file.js';
import { parseDeploymentText } from '../src/model/load-deployment.js';
import type { Plan } from '../src/model/plan.js';
import { planDeployment } from '../src/plan/planner.js';
import { builtinPolicies } from '../src/policy/builtin/index.js';
import { checkPlan, PolicyEngine } from '../src/policy/engine.js';
import type { Benchmark, BenchmarkContext, BenchmarkReport, Target } from './benchmark.js';
import { formatNumber, formatTable } from './format-table.js';
import { type GeneratedDeployment, generateDeployment, SERVERS } from './generate.js';
import { type Lap, type Measurement, measure, round } from './measure.js';
import { placeholderServers } from './placeholder-servers.js';
import { planSeed, type SeedPlan } from './seed/plan-seed.js';

const SIZES = [1_000, 10_000, 100_000] as const;
/** The seed's wave search scans every remaining node per wave; at 100k it would take minutes. */
const SEED_SIZES: ReadonlySet<number> = new Set([1_000, 10_000]);
const LARGE = 100_000;
const REFERENCE_SIZE = 10_000;

const TARGET_100K_MS = 2000;
const TARGET_SCALE = 15;
const TARGET_SPEEDUP = 20;

/** The origin document's required tags, configured so both implementations check the same thing. */
const POLICY_SETTINGS = { 'required-tags': { tags: ['Environment', 'Owner', 'CostCenter'] } };

/**
 * Small inputs run first, on cold code: a few extra warm-ups (cheap at 1k) let the JIT settle so 1k measures the
 * planner, not the compiler. Larger sizes run on code the smaller ones have already warmed.
 */
function runsFor(size: number): { warmup: number; runs: number } {
  if (size >= LARGE) return { warmup: 1, runs: 3 };
  return size >= REFERENCE_SIZE ? { warmup: 1, runs: 5 } : { warmup: 5, runs: 5 };
}

interface GraphShape {
  resources: number;
  edges: number;
  waves: number;
  largest_wave: number;
  input_bytes: number;
  references: GeneratedDeployment['references'];
  policy_results: number;
}

interface SizeResult {
  size: number;
  shape: GraphShape;
  conductor: Measurement;
  seed?: Measurement;
  seedWaves?: number;
  /** `JSON.parse` of the same text and nothing else: the floor under any planner that reads JSON text. */
  jsonParse: Measurement;
}

export const plannerBenchmark: Benchmark = {
  name: 'planner',
  title: 'Planner: parse + references + graph + waves + policies',
  run: runPlannerBenchmark,
};

async function runPlannerBenchmark(context: BenchmarkContext): Promise<BenchmarkReport> {
  const problems: string[] = [];
  const results: SizeResult[] = [];
  for (const size of SIZES) {
    context.progress(`generating ${formatNumber(size)} resources`);
    const generated = generateDeployment({ resources: size });
    const mcpServers = placeholderServers(SERVERS);

    let shape: GraphShape | undefined;
    let conductorWaves: string[][] | undefined;
    context.progress(`planning ${formatNumber(size)} resources with conductor`);
    const conductor = await measure((lap) => planWithConductor(generated.text, lap), {
      ...runsFor(size),
      inspect: ({ plan, parseErrors }) => {
        problems.push(...checkConductorPlan(size, plan, parseErrors));
        shape = shapeOf(plan, generated);
        if (SEED_SIZES.has(size)) conductorWaves = plan.waves.map((wave) => wave.map(serverAndName).sort());
      },
    });

    let seed: Measurement | undefined;
    let seedWaves: number | undefined;
    if (SEED_SIZES.has(size)) {
      context.progress(`planning ${formatNumber(size)} resources with the seed`);
      seed = await measure((lap) => planSeed(generated.text, mcpServers, lap), {
        ...runsFor(size),
        inspect: (plan) => {
          seedWaves = plan.waves.length;
          problems.push(...compareWaves(size, conductorWaves ?? [], plan));
        },
      });
    }
    context.progress(`measuring JSON.parse alone on ${formatNumber(size)} resources`);
    const jsonParse = await measure(async () => JSON.parse(generated.text) as unknown, runsFor(size));
    results.push({ size, shape: shape!, conductor, jsonParse, ...(seed ? { seed, seedWaves } : {}) });
  }
  return report(results, problems);
}

/** The timed pipeline, as `conductor plan` runs it for a file. */
async function planWithConductor(text: string, lap: Lap): Promise<{ plan: Plan; parseErrors: string[] }> {
  const loaded = parseDeploymentText(text, { file: 'bench.json', format: 'json' });
  lap('parse');
  if (!loaded.deployment) {
    return {
      plan: emptyPlan('', []),
      parseErrors: loaded.diagnostics.map((diagnostic) => diagnostic.summary),
    };
  }
  const planned = await planDeployment({ deployment: loaded.deployment });
  lap('plan');
  const plan = await checkPlan(planned, new PolicyEngine(builtinPolicies, POLICY_SETTINGS));
  lap('policies');
  const parseErrors = loaded.diagnostics
    .filter((diagnostic) => diagnostic.severity === 'error')
    .map((diagnostic) => diagnostic.summary);
  return { plan, parseErrors };
}

function checkConductorPlan(size: number, plan: Plan, parseErrors: string[]): string[] {
  const problems: string[] = [];
  const errors = [
    ...parseErrors,
    ...plan.diagnostics
      .filter((diagnostic) => diagnostic.severity === 'error')
      .map((diagnostic) => diagnostic.summary),
  ];
  if (errors.length > 0) {
    problems.push(
      `${formatNumber(size)} resources: the conductor plan has ${errors.length} error diagnostic(s), e.g. ${errors.slice(0, 3).join(' | ')}`,
    );
  }
  if (plan.steps.length !== size) {
    problems.push(`${formatNumber(size)} resources: the conductor plan has ${plan.steps.length} steps.`);
  }
  return problems;
}

/** Both implementations must put the same resources in the same waves, or the comparison is meaningless. */
function compareWaves(size: number, conductorWaves: string[][], seed: SeedPlan): string[] {
  const seedWaves = seed.waves.map((wave) =>
    wave.resources.map(({ server, resource }) => `${server}:${resource.id}`).sort(),
  );
  if (seedWaves.length !== conductorWaves.length) {
    return [
      `${formatNumber(size)} resources: WAVE COUNT MISMATCH: conductor found ${conductorWaves.length} waves, the seed ${seedWaves.length}.`,
    ];
  }
  for (let wave = 0; wave < seedWaves.length; wave++) {
    const ours = conductorWaves[wave]!;
    const theirs = seedWaves[wave]!;
    if (ours.length !== theirs.length || ours.some((id, index) => id !== theirs[index])) {
      return [
        `${formatNumber(size)} resources: wave ${wave} differs: conductor has ${ours.length} resources, the seed ${theirs.length}.`,
      ];
    }
  }
  return [];
}

/** `opnsense:network:vlan:vlan-3` → `opnsense:vlan-3`, the seed's node id. */
function serverAndName(address: string): string {
  return `${address.slice(0, address.indexOf(':'))}:${address.slice(address.lastIndexOf(':') + 1)}`;
}

function shapeOf(plan: Plan, generated: GeneratedDeployment): GraphShape {
  let edges = 0;
  for (const step of plan.steps) edges += step.dependsOn.length;
  return {
    resources: plan.steps.length,
    edges,
    waves: plan.waves.length,
    largest_wave: Math.max(0, ...plan.waves.map((wave) => wave.length)),
    input_bytes: Buffer.byteLength(generated.text),
    references: generated.references,
    policy_results: plan.policies?.results.length ?? 0,
  };
}

function report(results: SizeResult[], problems: string[]): BenchmarkReport {
  const bySize = new Map(results.map((result) => [result.size, result]));
  const large = bySize.get(LARGE)!;
  const reference = bySize.get(REFERENCE_SIZE)!;
  const scale = large.conductor.medianMs / reference.conductor.medianMs;
  const speedup = reference.seed ? reference.seed.medianMs / reference.conductor.medianMs : Number.NaN;

  const targets: Target[] = [
    {
      id: 'plan_100k_under_2000_ms',
      description: `100k resources planned in < ${TARGET_100K_MS} ms`,
      actual: `${formatNumber(large.conductor.medianMs)} ms`,
      met: large.conductor.medianMs < TARGET_100K_MS,
    },
    {
      id: 'scale_100k_over_10k_at_most_15',
      description: `t(100k) / t(10k) <= ${TARGET_SCALE}`,
      actual: `${scale.toFixed(1)}`,
      met: scale <= TARGET_SCALE,
    },
    {
      id: 'speedup_vs_seed_10000_at_least_20',
      description: `conductor >= ${TARGET_SPEEDUP}x faster than the seed at 10k`,
      actual: `${speedup.toFixed(1)}x`,
      met: speedup >= TARGET_SPEEDUP,
    },
  ];

  const json: Record<string, unknown> = {};
  for (const result of results) json[`resources_${result.size}_ms`] = round(result.conductor.medianMs);
  for (const result of results) if (result.seed) json[`seed_${result.size}_ms`] = round(result.seed.medianMs);
  for (const result of results) json[`json_parse_${result.size}_ms`] = round(result.jsonParse.medianMs);
  json.scale_100k_over_10k = round(scale, 2);
  for (const result of results) {
    if (result.seed)
      json[`speedup_vs_seed_${result.size}`] = round(result.seed.medianMs / result.conductor.medianMs, 1);
  }
  json.max_speedup_vs_seed_10000 = reference.seed
    ? round(reference.seed.medianMs / reference.jsonParse.medianMs, 1)
    : null;
  json.graphs = results.map((result) => result.shape);
  json.stages_ms = Object.fromEntries(
    results.map((result) => [
      String(result.size),
      {
        conductor: roundValues(result.conductor.stagesMs),
        ...(result.seed ? { seed: roundValues(result.seed.stagesMs) } : {}),
      },
    ]),
  );
  json.samples_ms = Object.fromEntries(
    results.map((result) => [
      String(result.size),
      {
        conductor: result.conductor.samplesMs.map((sample) => round(sample)),
        ...(result.seed ? { seed: result.seed.samplesMs.map((sample) => round(sample)) } : {}),
      },
    ]),
  );
  json.runs = Object.fromEntries(SIZES.map((size) => [String(size), runsFor(size)]));
  json.targets = Object.fromEntries(
    targets.map((target) => [target.id, { met: target.met, actual: target.actual }]),
  );
  json.sanity = { ok: problems.length === 0, problems };
  json.node_version = process.version;
  json.cpu = cpus()[0]?.model ?? 'unknown';
  json.timestamp = new Date().toISOString();

  const timings = formatTable(
    ['resources', 'conductor ms', 'seed ms', 'speed-up', 'JSON.parse ms', 'edges', 'waves', 'seed waves'],
    results.map((result) => [
      result.size,
      result.conductor.medianMs,
      result.seed ? result.seed.medianMs : '-',
      result.seed ? `${(result.seed.medianMs / result.conductor.medianMs).toFixed(1)}x` : '-',
      result.jsonParse.medianMs,
      result.shape.edges,
      result.shape.waves,
      result.seedWaves ?? '-',
    ]),
  );
  const shapes = formatTable(
    ['resources', 'edges', 'waves', 'largest wave', 'whole refs', 'embedded refs', 'dependsOn', 'input MB'],
    results.map(({ shape }) => [
      shape.resources,
      shape.edges,
      shape.waves,
      shape.largest_wave,
      shape.references.whole,
      shape.references.embedded,
      shape.references.dependsOn,
      shape.input_bytes / 1e6,
    ]),
  );
  const stageNames = (pick: (result: SizeResult) => Measurement | undefined) => [
    ...new Set(results.flatMap((result) => Object.keys(pick(result)?.stagesMs ?? {}))),
  ];
  const stageTable = (label: string, pick: (result: SizeResult) => Measurement | undefined) => {
    const names = stageNames(pick);
    const rows = results.filter((result) => pick(result) !== undefined);
    return formatTable(
      ['resources', ...names.map((name) => `${name} ms`)],
      rows.map((result) => [result.size, ...names.map((name) => pick(result)!.stagesMs[name] ?? Number.NaN)]),
    )
      .split('\n')
      .map((line, index) => (index === 0 ? `${line}    (${label})` : line))
      .join('\n');
  };

  const text = [
    timings,
    '',
    `Medians; ${SIZES.map((size) => `${formatNumber(size)}: ${runsFor(size).runs} runs after ${runsFor(size).warmup} warm-up(s)`).join(', ')}.`,
    "Seed: the origin document's algorithm (bench/seed), whose wave search scans every remaining node once per wave,",
    'so its time grows with resources x waves.',
    `JSON.parse: the input text parsed and nothing else. Both implementations pay it, so at 10k no planner that reads`,
    `the text can be more than ${(reference.seed ? reference.seed.medianMs / reference.jsonParse.medianMs : Number.NaN).toFixed(1)}x faster than the seed (seed ms / JSON.parse ms).`,
    '',
    'Graph shapes:',
    shapes,
    '',
    'Stages (medians):',
    stageTable('conductor', (result) => result.conductor),
    '',
    stageTable('seed', (result) => result.seed),
  ].join('\n');

  return {
    json,
    text,
    targets,
    problems,
    sanity: 'the plan has no errors and both implementations found the same waves',
  };
}

function roundValues(values: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(values).map(([key, value]) => [key, round(value)]));
}
