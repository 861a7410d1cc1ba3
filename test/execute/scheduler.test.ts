import { describe, expect, it } from 'vitest';
import { type ScheduledTask, Scheduler } from '../../src/execute/scheduler.js';
import { ConductorError } from '../../src/model/conductor-error.js';
import { GraphError } from '../../src/plan/graph/index.js';
import { deferred, seededRandom } from './fixtures.js';

function task(id: string, dependsOn: string[] = [], group = 'one'): ScheduledTask {
  return { id, group, dependsOn };
}

/** Runs tasks that each take `duration(id)` ms (0: a microtask), recording start and end order. */
async function runTimed(
  tasks: ScheduledTask[],
  options: Partial<ConstructorParameters<typeof Scheduler>[1]> & { duration?: (id: string) => number } = {},
) {
  const log: string[] = [];
  let running = 0;
  let maxRunning = 0;
  const perGroup = new Map<string, number>();
  const maxPerGroup = new Map<string, number>();
  const scheduler = new Scheduler(tasks, {
    concurrency: 1,
    groupConcurrency: () => 1,
    ...options,
    run: async (current) => {
      log.push(`start ${current.id}`);
      running++;
      maxRunning = Math.max(maxRunning, running);
      perGroup.set(current.group, (perGroup.get(current.group) ?? 0) + 1);
      maxPerGroup.set(
        current.group,
        Math.max(maxPerGroup.get(current.group) ?? 0, perGroup.get(current.group)!),
      );
      const milliseconds = options.duration?.(current.id) ?? 0;
      await new Promise((resolve) =>
        milliseconds > 0 ? setTimeout(resolve, milliseconds) : setImmediate(resolve),
      );
      running--;
      perGroup.set(current.group, perGroup.get(current.group)! - 1);
      log.push(`end ${current.id}`);
      return !current.id.startsWith('fail');
    },
  });
  const outcomes = await scheduler.run();
  return { log, outcomes, maxRunning, maxPerGroup };
}

describe('Scheduler', () => {
  it('starts a task only after everything it depends on has finished', async () => {
    const { log } = await runTimed([task('c', ['a', 'b']), task('a'), task('b', ['a'])], {
      concurrency: 4,
      groupConcurrency: () => 4,
    });
    expect(log.indexOf('start b')).toBeGreaterThan(log.indexOf('end a'));
    expect(log.indexOf('start c')).toBeGreaterThan(log.indexOf('end b'));
  });

  it('never exceeds the global limit or any group limit under load', async () => {
    const random = seededRandom(7);
    const groups = ['a', 'b', 'c', 'd'];
    const tasks: ScheduledTask[] = [];
    for (let index = 0; index < 300; index++) {
      const dependsOn = index > 0 && random() < 0.5 ? [`t${Math.floor(random() * index)}`] : [];
      tasks.push(task(`t${index}`, dependsOn, groups[Math.floor(random() * groups.length)]!));
    }
    const { outcomes, maxRunning, maxPerGroup } = await runTimed(tasks, {
      concurrency: 7,
      groupConcurrency: (group) => (group === 'a' ? 1 : 3),
    });
    expect(outcomes.every((outcome) => outcome === 'succeeded')).toBe(true);
    expect(maxRunning).toBe(7);
    expect(maxPerGroup.get('a')).toBe(1);
    for (const group of ['b', 'c', 'd']) expect(maxPerGroup.get(group)).toBe(3);
  });

  it('starts the head of the longest remaining chain first, not the first by name', async () => {
    const tasks = [
      task('a-leaf-1'),
      task('a-leaf-2'),
      task('z-chain-1'),
      task('z-chain-2', ['z-chain-1']),
      task('z-chain-3', ['z-chain-2']),
    ];
    const { log } = await runTimed(tasks);
    expect(log[0]).toBe('start z-chain-1');
    // fifo models a naive executor: ready tasks in name order.
    const naive = await runTimed(tasks, { priority: 'fifo' });
    expect(naive.log[0]).toBe('start a-leaf-1');
  });

  it('with waves, starts no task of the next wave before the whole wave has finished', async () => {
    const tasks = [task('slow'), task('fast'), task('after-fast', ['fast'])];
    const options = {
      concurrency: 3,
      groupConcurrency: () => 3,
      duration: (id: string) => (id === 'slow' ? 30 : 1),
    };
    const eager = await runTimed(tasks, options);
    expect(eager.log.indexOf('start after-fast')).toBeLessThan(eager.log.indexOf('end slow'));
    const waves = await runTimed(tasks, { ...options, strategy: 'waves' });
    expect(waves.log.indexOf('start after-fast')).toBeGreaterThan(waves.log.indexOf('end slow'));
  });

  it('blocks everything downstream of a failure, reports each blocked task once, and runs the rest', async () => {
    const blocked: string[] = [];
    const tasks = [
      task('fail-root'),
      task('child', ['fail-root']),
      task('grandchild', ['child', 'other']),
      task('other'),
    ];
    const scheduler = new Scheduler(tasks, {
      concurrency: 2,
      groupConcurrency: () => 2,
      run: async (current) => !current.id.startsWith('fail'),
      onBlocked: (current, cause) => blocked.push(`${current.id} by ${cause.id}`),
    });
    expect(await scheduler.run()).toEqual(['failed', 'blocked', 'blocked', 'succeeded']);
    expect(blocked).toEqual(['child by fail-root', 'grandchild by fail-root']);
  });

  it('after stop, starts nothing new and resolves once running tasks finish', async () => {
    const gate = deferred<boolean>();
    const started: string[] = [];
    const scheduler: Scheduler<ScheduledTask> = new Scheduler(
      [task('first'), task('second', ['first']), task('third')],
      {
        concurrency: 1,
        groupConcurrency: () => 1,
        run: (current) => {
          started.push(current.id);
          if (current.id === 'first') {
            scheduler.stop();
            return gate.promise;
          }
          return Promise.resolve(true);
        },
      },
    );
    const done = scheduler.run();
    gate.resolve(true);
    expect(await done).toEqual(['succeeded', 'not-started', 'not-started']);
    expect(started).toEqual(['first']);
  });

  it('treats a task that throws or rejects as failed', async () => {
    const scheduler = new Scheduler([task('throws'), task('rejects')], {
      concurrency: 2,
      groupConcurrency: () => 2,
      run: (current) => {
        if (current.id === 'throws') throw new TypeError('bug');
        return Promise.reject(new Error('no'));
      },
    });
    expect(await scheduler.run()).toEqual(['failed', 'failed']);
  });

  it('ignores dependencies on tasks it does not run (already done), and resolves at once with no tasks', async () => {
    const { outcomes } = await runTimed([task('a', ['elsewhere'])]);
    expect(outcomes).toEqual(['succeeded']);
    expect(
      await new Scheduler([], { concurrency: 1, groupConcurrency: () => 1, run: async () => true }).run(),
    ).toEqual([]);
  });

  it('refuses a cycle and a limit below 1', () => {
    const run = async () => true;
    expect(
      () =>
        new Scheduler([task('a', ['b']), task('b', ['a'])], {
          concurrency: 1,
          groupConcurrency: () => 1,
          run,
        }),
    ).toThrow(GraphError);
    const error = (() => {
      try {
        new Scheduler([task('a')], { concurrency: 2, groupConcurrency: () => 0, run });
      } catch (caught) {
        return caught;
      }
    })();
    expect(ConductorError.isInstance(error) && error.code).toBe('invalid-concurrency');
  });
});
