// Runs a graph of tasks as fast as the limits allow: a task starts the moment everything it depends on has succeeded,
// never more than `concurrency` at once overall nor more than its group's limit (one group per server). When more
// tasks are ready than slots are free, the one with the longest chain of tasks still behind it starts first, because
// that chain decides when everything is done. Generic: it knows tasks, groups and edges, not providers or resources.
// The executor runs plan steps through it and rollback runs undo operations through it.

import { compareText } from '../model/compare-text.js';
import { ConductorError } from '../model/conductor-error.js';
import { assertAcyclic, Graph, remainingPathLengths, waveIndex } from '../plan/graph/index.js';
import { TaskHeap } from './task-heap.js';

export interface ScheduledTask {
  /** Unique among the tasks. */
  id: string;
  /** The limit this task counts against besides the global one, e.g. the server it calls. */
  group: string;
  /** Ids of tasks that must succeed first. Ids that are not among the tasks count as already done. */
  dependsOn: readonly string[];
}

/** `eager` starts each task as soon as it can; `waves` also waits for the whole previous wave (a barrier). */
export type SchedulingStrategy = 'eager' | 'waves';
/** `critical-path` starts the task with the longest remaining chain first; `fifo` the one that became ready first. */
export type SchedulingPriority = 'critical-path' | 'fifo';

/** `blocked`: a task it depends on failed (or was blocked). `not-started`: the run was stopped before it could start. */
export type TaskOutcome = 'succeeded' | 'failed' | 'blocked' | 'not-started';

export interface SchedulerOptions<T extends ScheduledTask> {
  /** Tasks running at once, overall. */
  concurrency: number;
  /** Tasks running at once within a group. */
  groupConcurrency: (group: string) => number;
  strategy?: SchedulingStrategy;
  priority?: SchedulingPriority;
  /** Runs one task and resolves true when it succeeded. A rejection counts as a failure. */
  run: (task: T) => Promise<boolean>;
  /** Told once for each task that can never run because `cause` failed. */
  onBlocked?: (task: T, cause: T) => void;
}

const WAITING = 0;
const RUNNING = 1;
const SUCCEEDED = 2;
const FAILED = 3;
const BLOCKED = 4;

interface Group {
  readonly name: string;
  readonly limit: number;
  readonly ready: TaskHeap;
  inFlight: number;
}

export class Scheduler<T extends ScheduledTask> {
  readonly #tasks: readonly T[];
  readonly #options: SchedulerOptions<T>;
  readonly #dependents: number[][];
  /** Dependencies still to succeed, per task. */
  readonly #waitingFor: Int32Array;
  readonly #state: Uint8Array;
  /** Smaller starts first: a rank by remaining chain length, or the order tasks became ready (fifo). */
  readonly #urgency: Float64Array;
  readonly #groupOf: Group[];
  readonly #groups: Group[] = [];
  readonly #waveOf: Int32Array | undefined;
  readonly #waveRemaining: Int32Array | undefined;
  readonly #parked: number[][] = [];
  #currentWave = 0;
  #readySequence = 0;
  #inFlight = 0;
  #stopped = false;
  #started = false;
  #finish: (() => void) | undefined;

  constructor(tasks: readonly T[], options: SchedulerOptions<T>) {
    checkLimit(options.concurrency, 'concurrency');
    this.#tasks = tasks;
    this.#options = options;
    const count = tasks.length;
    const indexById = new Map<string, number>();
    const graph = new Graph<T>();
    tasks.forEach((task, index) => {
      graph.addNode(task.id, task); // throws on a duplicate id
      indexById.set(task.id, index);
    });
    this.#dependents = Array.from({ length: count }, () => []);
    this.#waitingFor = new Int32Array(count);
    tasks.forEach((task, index) => {
      for (const id of task.dependsOn) {
        const dependency = indexById.get(id);
        if (dependency === undefined || !graph.addDependency(task.id, id)) continue;
        this.#dependents[dependency]!.push(index);
        this.#waitingFor[index]!++;
      }
    });
    // A cycle would leave its tasks waiting forever: refuse it (GraphError 'cycle') rather than hang.
    assertAcyclic(graph);
    this.#state = new Uint8Array(count);
    this.#urgency = new Float64Array(count);
    if ((options.priority ?? 'critical-path') === 'critical-path') {
      // Remaining path length counted in tasks (throws GraphError 'cycle'); ranked once, so the heaps compare numbers.
      const remaining = remainingPathLengths(graph);
      const order = tasks.map((_, index) => index);
      order.sort(
        (a, b) =>
          remaining.get(tasks[b]!.id)! - remaining.get(tasks[a]!.id)! ||
          compareText(tasks[a]!.id, tasks[b]!.id),
      );
      order.forEach((task, rank) => {
        this.#urgency[task] = rank;
      });
    }
    if (options.strategy === 'waves') {
      const waves = waveIndex(graph);
      this.#waveOf = new Int32Array(count);
      let waveCount = 0;
      tasks.forEach((task, index) => {
        const wave = waves.get(task.id)!;
        this.#waveOf![index] = wave;
        if (wave + 1 > waveCount) waveCount = wave + 1;
      });
      this.#waveRemaining = new Int32Array(waveCount);
      for (const wave of this.#waveOf) this.#waveRemaining[wave]!++;
      for (let wave = 0; wave < waveCount; wave++) this.#parked.push([]);
    }
    const groupsByName = new Map<string, Group>();
    this.#groupOf = tasks.map((task) => {
      let group = groupsByName.get(task.group);
      if (!group) {
        const limit = options.groupConcurrency(task.group);
        checkLimit(limit, `the limit of "${task.group}"`);
        group = { name: task.group, limit, ready: new TaskHeap(this.#urgency), inFlight: 0 };
        groupsByName.set(task.group, group);
        this.#groups.push(group);
      }
      return group;
    });
  }

  /** Starts nothing more; running tasks finish and `run` resolves when they have. */
  stop(): void {
    this.#stopped = true;
  }

  get stopped(): boolean {
    return this.#stopped;
  }

  /** Runs every task that can run; resolves with each task's outcome, by index. Never rejects. */
  run(): Promise<TaskOutcome[]> {
    if (this.#started) throw new Error('A scheduler runs once; create another for another run.');
    this.#started = true;
    return new Promise<TaskOutcome[]>((resolve) => {
      this.#finish = () => resolve(this.#outcomes());
      const initial: number[] = [];
      for (let task = 0; task < this.#tasks.length; task++)
        if (this.#waitingFor[task] === 0) initial.push(task);
      this.#release(initial);
      this.#pump();
      if (this.#inFlight === 0) this.#finish();
    });
  }

  /** Tasks whose dependencies have all succeeded: queued on their group, or parked until their wave comes. */
  #release(tasks: number[]): void {
    if (tasks.length > 1) tasks.sort((a, b) => compareText(this.#tasks[a]!.id, this.#tasks[b]!.id));
    for (const task of tasks) {
      if (this.#waveOf && this.#waveOf[task]! > this.#currentWave) {
        this.#parked[this.#waveOf[task]!]!.push(task);
        continue;
      }
      this.#enqueue(task);
    }
  }

  #enqueue(task: number): void {
    if (this.#options.priority === 'fifo') this.#urgency[task] = this.#readySequence++;
    this.#groupOf[task]!.ready.push(task);
  }

  /** Fills free slots with the most urgent ready tasks of groups that have room: O(groups) per start. */
  #pump(): void {
    const { concurrency } = this.#options;
    while (!this.#stopped && this.#inFlight < concurrency) {
      let best: Group | undefined;
      let bestUrgency = 0;
      for (const group of this.#groups) {
        if (group.inFlight >= group.limit || group.ready.length === 0) continue;
        const urgency = this.#urgency[group.ready.peek()]!;
        if (best === undefined || urgency < bestUrgency) {
          best = group;
          bestUrgency = urgency;
        }
      }
      if (!best) return;
      this.#start(best.ready.pop());
    }
  }

  #start(task: number): void {
    this.#state[task] = RUNNING;
    this.#inFlight++;
    this.#groupOf[task]!.inFlight++;
    let running: Promise<boolean>;
    try {
      running = this.#options.run(this.#tasks[task]!);
    } catch {
      running = Promise.resolve(false);
    }
    Promise.resolve(running).then(
      (succeeded) => this.#settle(task, succeeded === true),
      () => this.#settle(task, false),
    );
  }

  #settle(task: number, succeeded: boolean): void {
    this.#inFlight--;
    this.#groupOf[task]!.inFlight--;
    this.#state[task] = succeeded ? SUCCEEDED : FAILED;
    this.#leaveWave(task);
    if (succeeded) {
      const released: number[] = [];
      for (const dependent of this.#dependents[task]!) {
        if (--this.#waitingFor[dependent]! === 0 && this.#state[dependent] === WAITING)
          released.push(dependent);
      }
      this.#release(released);
    } else this.#block(task);
    this.#pump();
    if (this.#inFlight === 0) this.#finish?.();
  }

  /** Everything downstream of a failed task can never run. Each task is blocked once: O(tasks + edges) in all. */
  #block(failed: number): void {
    const cause = this.#tasks[failed]!;
    const stack = [...this.#dependents[failed]!];
    while (stack.length > 0) {
      const task = stack.pop()!;
      if (this.#state[task] !== WAITING) continue;
      this.#state[task] = BLOCKED;
      this.#leaveWave(task);
      try {
        this.#options.onBlocked?.(this.#tasks[task]!, cause);
      } catch {
        // A listener's bug must not stop the run.
      }
      for (const dependent of this.#dependents[task]!) stack.push(dependent);
    }
  }

  /** Waves: when the current wave has no task left to settle, the next wave's parked tasks may start. */
  #leaveWave(task: number): void {
    if (!this.#waveOf || !this.#waveRemaining) return;
    this.#waveRemaining[this.#waveOf[task]!]!--;
    while (this.#currentWave < this.#waveRemaining.length && this.#waveRemaining[this.#currentWave] === 0) {
      this.#currentWave++;
      const parked = this.#parked[this.#currentWave];
      if (parked) {
        this.#parked[this.#currentWave] = [];
        for (const waiting of parked) this.#enqueue(waiting);
      }
    }
  }

  #outcomes(): TaskOutcome[] {
    const outcomes = new Array<TaskOutcome>(this.#tasks.length);
    for (let task = 0; task < outcomes.length; task++) {
      const state = this.#state[task];
      outcomes[task] =
        state === SUCCEEDED
          ? 'succeeded'
          : state === FAILED
            ? 'failed'
            : state === BLOCKED
              ? 'blocked'
              : 'not-started';
    }
    return outcomes;
  }
}

function checkLimit(value: number, what: string): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new ConductorError({
      code: 'invalid-concurrency',
      summary: `${what} is ${value}; it must be a whole number of at least 1.`,
      detail:
        'Set the concurrency (overall, or per server under `conductor.concurrency` in the config) to 1 or more.',
      exitCode: 2,
    });
  }
}
