// When to start a server process again after it failed to start or died: at once the first time, then after a
// doubling delay, and not at all after several failures in quick succession (a server that dies at every start is
// broken, and hammering it helps nobody). A server that ran for a while before dying starts the count afresh.

export interface RestartPolicyOptions {
  /** Delay before the second attempt; it doubles with each further failure (default 100 ms). */
  initialDelayMs?: number;
  /** The delay stops growing here (default 2 s). */
  maxDelayMs?: number;
  /** Give up after this many failures in quick succession (default 5). */
  maxFailures?: number;
  /** A process that dies within this long of starting counts as a quick failure (default 10 s). */
  quickFailureMs?: number;
}

export class RestartPolicy {
  private readonly initialDelayMs: number;
  private readonly maxDelayMs: number;
  readonly maxFailures: number;
  private readonly quickFailureMs: number;
  private failures = 0;
  private startedAt = 0;

  constructor(
    options: RestartPolicyOptions = {},
    private readonly now: () => number = Date.now,
  ) {
    this.initialDelayMs = options.initialDelayMs ?? 100;
    this.maxDelayMs = options.maxDelayMs ?? 2_000;
    this.maxFailures = options.maxFailures ?? 5;
    this.quickFailureMs = options.quickFailureMs ?? 10_000;
  }

  /** Failures in a row so far. */
  get failureCount(): number {
    return this.failures;
  }

  get exhausted(): boolean {
    return this.failures >= this.maxFailures;
  }

  /** How long to wait before the next start. */
  delayBeforeStart(): number {
    if (this.failures === 0) return 0;
    return Math.min(this.initialDelayMs * 2 ** (this.failures - 1), this.maxDelayMs);
  }

  started(): void {
    this.startedAt = this.now();
  }

  /** The start failed, or the running process died unexpectedly. */
  failed(): void {
    const ranFor = this.now() - this.startedAt;
    this.failures = ranFor > this.quickFailureMs ? 1 : this.failures + 1;
  }
}
