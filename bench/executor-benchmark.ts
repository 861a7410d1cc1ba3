// The executor benchmark: applies seeded random deployments of 1,000 resources on 5 servers (5-50 ms per call, at most
// 8 calls at once per server) through the real executor, the fake provider and the in-memory state store, and compares
// the makespan with a lower bound no schedule can beat: max(critical-path latency, max over servers of total latency /
// limit). Three executors: eager with critical path first, wave barriers, and a global semaphore of 10 that starts
// steps in the order they became ready (Terraform's default). Also: overhead with zero latency, and state writes.
import { cpus } from 'node:os';
import type { ExecuteOptions } from '../src/execute/executor.js';
import { executePlan } from '../src/execute/executor.js';
import { FakeGateway } from '../src/execute/fake-gateway.js';
import type { Plan } from '../src/model/plan.js';
import { criticalPath, Graph } from '../src/plan/graph/index.js';
import { planDeployment } from '../src/plan/planner.js';
import { createMemoryStateStore } from '../src/state/memory-backend.js';
import type { Benchmark, BenchmarkContext, BenchmarkReport, Target } from './benchmark.js';
import { formatNumber, formatTable } from './format-table.js';
import { measure, round } from './measure.js';
import { DAG_SERVERS, generateRandomDag, type RandomDag } from './random-dag.js';

const RESOURCES = 1_000;
const SERVER_LIMIT = 8;
/** Three different graphs: a target met on one lucky seed proves little. The first one's figures lead the JSON. */
const SEEDS = [1, 2, 3];
const WRITE_SIZES = [100, 1_000] as const;

/**
 * Eager runs are repeated and the median kept: its makespan is the figure held against the lower bound, and on a
 * shared machine one run can lose 100 ms to another process. The others are far slower, so one run each suffices.
 */
const EAGER_RUNS = 3;

const TARGET_RATIO = 1.1;
const TARGET_SPEEDUP = 1.3;
const TARGET_OVERHEAD_MS = 0.5;
/** Writes per step may differ by the constant few per apply spread over fewer steps; 10% covers it at 100. */
const TARGET_WRITE_GROWTH = 1.1;

interface Strategy {
  key: 'eager' | 'waves' | 'global10';
  label: string;
  options: Pick<ExecuteOptions, 'concurrency' | 'strategy' | 'priority'>;
}

const STRATEGIES: Strategy[] = [
  {
    key: 'eager',
    label: 'eager, critical path first',
    // High enough that only the per-server limits bind (5 servers x 8).
    options: { concurrency: 40, strategy: 'eager', priority: 'critical-path' },
  },
  {
    key: 'waves',
    label: 'wave barriers',
    options: { concurrency: 40, strategy: 'waves', priority: 'critical-path' },
  },
  {
    key: 'global10',
    label: 'global semaphore of 10, first ready first',
    options: { concurrency: 10, strategy: 'eager', priority: 'fifo' },
  },
];

interface DagResult {
  seed: number;
  edges: number;
  waves: number;
  criticalPathMs: number;
  busiestServerMs: number;
  lowerBoundMs: number;
  /** The whole apply, as a user waits for it: records, scheduling, every call, rollback-free. */
  makespanMs: Record<Strategy['key'], number>;
  /** From the first provider call's start to the last one's end: the schedule alone. */
  callSpanMs: Record<Strategy['key'], number>;
  eagerSamplesMs: number[];
}

export const executorBenchmark: Benchmark = {
  name: 'executor',
  title: 'Executor: makespan against the lower bound, overhead, state writes',
  run: runExecutorBenchmark,
};

async function runExecutorBenchmark(context: BenchmarkContext): Promise<BenchmarkReport> {
  const problems: string[] = [];
  const dags: DagResult[] = [];
  for (const seed of SEEDS) {
    const dag = generateRandomDag({ resources: RESOURCES, seed });
    const plan = await planFor(dag);
    const bound = lowerBound(plan, dag);
    const makespanMs = {} as DagResult['makespanMs'];
    const callSpanMs = {} as DagResult['callSpanMs'];
    const eagerSamplesMs: number[] = [];
    for (const strategy of STRATEGIES) {
      context.progress(`seed ${seed}: applying ${formatNumber(RESOURCES)} resources, ${strategy.label}`);
      const runs: RunResult[] = [];
      for (let repeat = 0; repeat < (strategy.key === 'eager' ? EAGER_RUNS : 1); repeat++) {
        const run = await applyOnce(plan, dag, strategy.options);
        problems.push(...run.problems.map((problem) => `seed ${seed}, ${strategy.key}: ${problem}`));
        runs.push(run);
      }
      runs.sort((a, b) => a.makespanMs - b.makespanMs);
      const middle = runs[Math.floor(runs.length / 2)]!;
      makespanMs[strategy.key] = middle.makespanMs;
      callSpanMs[strategy.key] = middle.callSpanMs;
      if (strategy.key === 'eager') eagerSamplesMs.push(...runs.map((run) => run.makespanMs));
    }
    let edges = 0;
    for (const step of plan.steps) edges += step.dependsOn.length;
    dags.push({ seed, edges, waves: plan.waves.length, ...bound, makespanMs, callSpanMs, eagerSamplesMs });
  }

  context.progress(`measuring overhead: ${formatNumber(RESOURCES)} resources, zero latency`);
  const zeroLatency = generateRandomDag({
    resources: RESOURCES,
    seed: SEEDS[0]!,
    minLatencyMs: 0,
    maxLatencyMs: 0,
  });
  const zeroPlan = await planFor(zeroLatency);
  const overhead = await measure(async () => applyOnce(zeroPlan, zeroLatency, STRATEGIES[0]!.options), {
    warmup: 2,
    runs: 5,
    inspect: (run) => problems.push(...run.problems.map((problem) => `overhead run: ${problem}`)),
  });
  const overheadPerResource = overhead.medianMs / RESOURCES;

  const writesPerStep: Record<string, number> = {};
  for (const size of WRITE_SIZES) {
    context.progress(`counting state writes at ${formatNumber(size)} resources`);
    const dag = generateRandomDag({ resources: size, seed: SEEDS[0]!, minLatencyMs: 0, maxLatencyMs: 0 });
    const run = await applyOnce(await planFor(dag), dag, STRATEGIES[0]!.options);
    problems.push(...run.problems.map((problem) => `writes at ${size}: ${problem}`));
    writesPerStep[String(size)] = run.writes / size;
  }
  return report(dags, overheadPerResource, overhead.samplesMs, writesPerStep, problems);
}

/** The real planner makes the plan, so it is a plan the executor meets in use. Planning is not timed. */
async function planFor(dag: RandomDag): Promise<Plan> {
  const plan = await planDeployment({ deployment: dag.deployment });
  const errors = plan.diagnostics.filter((diagnostic) => diagnostic.severity === 'error');
  if (errors.length > 0) throw new Error(`the benchmark plan has errors: ${errors[0]!.summary}`);
  return plan;
}

/** max(critical-path latency, busiest server's total latency / its limit): no schedule finishes sooner. */
function lowerBound(
  plan: Plan,
  dag: RandomDag,
): Pick<DagResult, 'criticalPathMs' | 'busiestServerMs' | 'lowerBoundMs'> {
  const graph = new Graph<string>();
  for (const step of plan.steps) graph.addNode(step.address, step.name);
  for (const step of plan.steps)
    for (const dependency of step.dependsOn) graph.addDependency(step.address, dependency);
  const criticalPathMs = criticalPath(graph, (_id, name) => dag.latencyMs.get(name)!).length;
  const perServer = new Map<string, number>();
  for (const step of plan.steps) {
    perServer.set(step.server, (perServer.get(step.server) ?? 0) + dag.latencyMs.get(step.name)!);
  }
  const busiestServerMs = Math.max(...[...perServer.values()].map((total) => total / SERVER_LIMIT));
  return { criticalPathMs, busiestServerMs, lowerBoundMs: Math.max(criticalPathMs, busiestServerMs) };
}

interface RunResult {
  makespanMs: number;
  callSpanMs: number;
  writes: number;
  problems: string[];
}

async function applyOnce(
  plan: Plan,
  dag: RandomDag,
  options: Pick<ExecuteOptions, 'concurrency' | 'strategy' | 'priority'>,
): Promise<RunResult> {
  // serverLimit makes the provider refuse a ninth call at once: a schedule that broke the limit fails, loudly.
  const gateway = new FakeGateway({
    latencyMs: (call) => dag.latencyMs.get(call.name ?? '') ?? 0,
    serverLimit: SERVER_LIMIT,
  });
  const state = createMemoryStateStore();
  const started = performance.now();
  const result = await executePlan(plan, {
    gateway,
    state,
    applyId: 'bench',
    owner: {
      pid: process.pid,
      host: 'bench',
      since: new Date().toISOString(),
      operation: 'bench',
      token: 'bench',
    },
    serverConcurrency: () => SERVER_LIMIT,
    ...options,
  });
  const makespanMs = performance.now() - started;
  const problems: string[] = [];
  if (result.status !== 'succeeded') {
    problems.push(`the apply ${result.status}: ${result.errors[0]?.summary ?? 'no error given'}`);
  }
  const held = Object.values(gateway.snapshot()).reduce((count, resources) => count + resources.length, 0);
  if (held !== plan.steps.length)
    problems.push(`the provider holds ${held} resources, not ${plan.steps.length}`);
  for (const server of DAG_SERVERS) {
    if (gateway.maxInFlight(server) > SERVER_LIMIT)
      problems.push(`${server} had ${gateway.maxInFlight(server)} calls at once (limit ${SERVER_LIMIT})`);
  }
  if ((options.concurrency ?? 16) < gateway.maxInFlight())
    problems.push(`${gateway.maxInFlight()} calls at once overall (limit ${options.concurrency})`);
  let firstStart = Number.POSITIVE_INFINITY;
  let lastEnd = 0;
  for (const call of gateway.calls) {
    firstStart = Math.min(firstStart, call.startedAt);
    lastEnd = Math.max(lastEnd, call.endedAt ?? 0);
  }
  return {
    makespanMs,
    callSpanMs: gateway.calls.length > 0 ? lastEnd - firstStart : 0,
    writes: result.writes,
    problems,
  };
}

function report(
  dags: DagResult[],
  overheadPerResource: number,
  overheadSamplesMs: number[],
  writesPerStep: Record<string, number>,
  problems: string[],
): BenchmarkReport {
  const ratio = (dag: DagResult, key: Strategy['key']) => dag.makespanMs[key] / dag.lowerBoundMs;
  const speedup = (dag: DagResult, key: Strategy['key']) => dag.makespanMs[key] / dag.makespanMs.eager;
  const worstRatio = Math.max(...dags.map((dag) => ratio(dag, 'eager')));
  const slowestVersusWaves = Math.min(...dags.map((dag) => speedup(dag, 'waves')));
  const slowestVersusGlobal = Math.min(...dags.map((dag) => speedup(dag, 'global10')));
  const writeGrowth = writesPerStep['1000']! / writesPerStep['100']!;

  const targets: Target[] = [
    {
      id: 'eager_within_1_10_of_lower_bound',
      description: `eager makespan <= ${TARGET_RATIO} x lower bound (worst seed)`,
      actual: `${worstRatio.toFixed(3)}`,
      met: worstRatio <= TARGET_RATIO,
    },
    {
      id: 'eager_1_3x_faster_than_waves',
      description: `eager >= ${TARGET_SPEEDUP}x faster than wave barriers`,
      actual: `${slowestVersusWaves.toFixed(2)}x`,
      met: slowestVersusWaves >= TARGET_SPEEDUP,
    },
    {
      id: 'eager_1_3x_faster_than_global10',
      description: `eager >= ${TARGET_SPEEDUP}x faster than a global semaphore of 10`,
      actual: `${slowestVersusGlobal.toFixed(2)}x`,
      met: slowestVersusGlobal >= TARGET_SPEEDUP,
    },
    {
      id: 'overhead_under_0_5_ms_per_resource',
      description: `overhead with zero latency < ${TARGET_OVERHEAD_MS} ms per resource`,
      actual: `${overheadPerResource.toFixed(3)} ms`,
      met: overheadPerResource < TARGET_OVERHEAD_MS,
    },
    {
      id: 'state_writes_linear',
      description: `writes per step at 1k / at 100 <= ${TARGET_WRITE_GROWTH}`,
      actual: `${writeGrowth.toFixed(3)}`,
      met: writeGrowth <= TARGET_WRITE_GROWTH,
    },
  ];

  const [lead] = dags;
  const json: Record<string, unknown> = {
    resources: RESOURCES,
    servers: DAG_SERVERS.length,
    server_limit: SERVER_LIMIT,
    lower_bound_ms: round(lead!.lowerBoundMs),
    eager_ms: round(lead!.makespanMs.eager),
    waves_ms: round(lead!.makespanMs.waves),
    global10_ms: round(lead!.makespanMs.global10),
    eager_over_lower_bound: round(ratio(lead!, 'eager'), 3),
    eager_calls_over_lower_bound: round(lead!.callSpanMs.eager / lead!.lowerBoundMs, 3),
    waves_over_lower_bound: round(ratio(lead!, 'waves'), 3),
    global10_over_lower_bound: round(ratio(lead!, 'global10'), 3),
    overhead_ms_per_resource: round(overheadPerResource, 4),
    overhead_samples_ms: overheadSamplesMs.map((sample) => round(sample)),
    writes_per_step_100: round(writesPerStep['100']!, 3),
    writes_per_step_1000: round(writesPerStep['1000']!, 3),
    seeds: dags.map((dag) => ({
      seed: dag.seed,
      edges: dag.edges,
      waves: dag.waves,
      critical_path_ms: round(dag.criticalPathMs),
      busiest_server_ms: round(dag.busiestServerMs),
      lower_bound_ms: round(dag.lowerBoundMs),
      eager_ms: round(dag.makespanMs.eager),
      eager_samples_ms: dag.eagerSamplesMs.map((sample) => round(sample)),
      waves_ms: round(dag.makespanMs.waves),
      global10_ms: round(dag.makespanMs.global10),
      call_span_ms: {
        eager: round(dag.callSpanMs.eager),
        waves: round(dag.callSpanMs.waves),
        global10: round(dag.callSpanMs.global10),
      },
    })),
    targets: Object.fromEntries(
      targets.map((target) => [target.id, { met: target.met, actual: target.actual }]),
    ),
    sanity: { ok: problems.length === 0, problems },
    node_version: process.version,
    cpu: cpus()[0]?.model ?? 'unknown',
    timestamp: new Date().toISOString(),
  };

  const makespans = formatTable(
    [
      'seed',
      'edges',
      'waves',
      'lower bound ms',
      'executor',
      'makespan ms',
      'x lower bound',
      'calls only ms',
      'x lower bound',
      'eager is faster by',
    ],
    dags.flatMap((dag) =>
      STRATEGIES.map((strategy, index) => [
        index === 0 ? dag.seed : '',
        index === 0 ? dag.edges : '',
        index === 0 ? dag.waves : '',
        index === 0 ? dag.lowerBoundMs : '',
        strategy.label,
        dag.makespanMs[strategy.key],
        ratio(dag, strategy.key).toFixed(3),
        dag.callSpanMs[strategy.key],
        (dag.callSpanMs[strategy.key] / dag.lowerBoundMs).toFixed(3),
        strategy.key === 'eager' ? '' : `${speedup(dag, strategy.key).toFixed(2)}x`,
      ]),
    ),
  );
  const text = [
    makespans,
    '',
    `${formatNumber(RESOURCES)} resources on ${DAG_SERVERS.length} servers, 5-50 ms per call, at most ${SERVER_LIMIT} calls at once per server.`,
    `Makespan: the whole apply (state records included), eager the median of ${EAGER_RUNS} runs. Calls only: first call's start to last call's end.`,
    'Lower bound: max(critical-path latency, busiest server total latency / limit); per seed:',
    ...dags.map(
      (dag) =>
        `  seed ${dag.seed}: critical path ${formatNumber(dag.criticalPathMs)} ms, busiest server ${formatNumber(dag.busiestServerMs)} ms.`,
    ),
    '',
    `Overhead with zero latency: ${formatNumber(overheadPerResource * RESOURCES)} ms for ${formatNumber(RESOURCES)} resources (median of ${overheadSamplesMs.length}), ${overheadPerResource.toFixed(3)} ms per resource, state writes to the in-memory store included.`,
    `State writes per step: ${WRITE_SIZES.map((size) => `${writesPerStep[String(size)]!.toFixed(3)} at ${formatNumber(size)}`).join(', ')}.`,
  ].join('\n');

  return {
    json,
    text,
    targets,
    problems,
    sanity: 'every apply succeeded, the provider holds every resource, no limit was exceeded',
  };
}
