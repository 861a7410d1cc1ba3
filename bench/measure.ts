// Timing: a few warm-up runs, then measured runs reported as medians, for the whole run and for each named stage.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** Called as each stage ends; the time since the previous call (or the start) is that stage's. */
export type Lap = (stage: string) => void;

export interface MeasureOptions<T> {
  warmup: number;
  runs: number;
  /** Sees the first run's result, outside the timed region, e.g. to check it is right. */
  inspect?: (result: T) => void;
}

export interface Measurement {
  medianMs: number;
  samplesMs: number[];
  /** Median of each stage, in the order the stages ran. */
  stagesMs: Record<string, number>;
}

const collectGarbage = exposeGarbageCollector();

export async function measure<T>(
  run: (lap: Lap) => Promise<T>,
  options: MeasureOptions<T>,
): Promise<Measurement> {
  const samples: number[] = [];
  const stageSamples = new Map<string, number[]>();
  for (let iteration = 0; iteration < options.warmup + options.runs; iteration++) {
    // Start each run with a clean heap, so one run does not pay for the garbage of the one before.
    collectGarbage?.();
    const stages: Array<[string, number]> = [];
    const start = performance.now();
    let previous = start;
    const lap: Lap = (stage) => {
      const now = performance.now();
      stages.push([stage, now - previous]);
      previous = now;
    };
    const result = await run(lap);
    const elapsed = performance.now() - start;
    if (iteration === 0) options.inspect?.(result);
    if (iteration < options.warmup) continue;
    samples.push(elapsed);
    for (const [stage, duration] of stages) {
      const list = stageSamples.get(stage) ?? [];
      list.push(duration);
      stageSamples.set(stage, list);
    }
  }
  const stagesMs: Record<string, number> = {};
  for (const [stage, list] of stageSamples) stagesMs[stage] = median(list);
  return { medianMs: median(samples), samplesMs: samples, stagesMs };
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** `gc()` without asking users for `--expose-gc`; undefined where the runtime refuses. */
function exposeGarbageCollector(): (() => void) | undefined {
  try {
    setFlagsFromString('--expose-gc');
    const gc: unknown = runInNewContext('gc');
    return typeof gc === 'function' ? (gc as () => void) : undefined;
  } catch {
    return undefined;
  }
}

/** `value` rounded to `digits` decimals, for JSON reports. */
export function round(value: number, digits = 1): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
