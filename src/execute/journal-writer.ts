// Writes an apply's write-ahead journal: a `begin` entry before every provider call, an `end` entry after it. One
// writer per apply hands out the sequence numbers, so concurrent steps never share one; `conductor recover` continues
// a crashed apply's journal with `JournalWriter.continuing`.

import type { ResourceRecord } from '../model/resource-record.js';
import type { JournalEntry, JournalOperation, Problem } from '../state/records.js';
import type { StateStore } from '../state/state-store.js';
import type { Properties } from './provider-gateway.js';

/** What a begin entry says about the call it announces. */
export interface BeginFields {
  phase: JournalEntry['phase'];
  operation: JournalOperation;
  address: string;
  server: string;
  type: string;
  name: string;
  deployment: string;
  /** The id being updated or deleted. */
  id?: string;
  /** The resolved properties sent (create, update). */
  properties?: Properties;
  /** The record before the call, so it can be undone (update, delete, and the create of a replacement). */
  before?: ResourceRecord;
  dependsOn?: string[];
}

/** What an end entry says about how the call went. */
export interface EndFields {
  outcome: 'ok' | 'failed';
  /** The id created. */
  id?: string;
  outputs?: Properties;
  error?: Problem;
}

export interface JournalWriterOptions {
  /** The first sequence number to hand out (default 1). */
  firstSeq?: number;
  now?: () => number;
}

export class JournalWriter {
  #nextSeq: number;
  readonly #now: () => number;

  constructor(
    private readonly state: StateStore,
    readonly applyId: string,
    options: JournalWriterOptions = {},
  ) {
    this.#nextSeq = options.firstSeq ?? 1;
    this.#now = options.now ?? Date.now;
  }

  /** A writer that appends after the entries an apply already has (for recover, which adds to a crashed apply). */
  static async continuing(
    state: StateStore,
    applyId: string,
    options: Omit<JournalWriterOptions, 'firstSeq'> = {},
  ): Promise<JournalWriter> {
    let last = 0;
    for (const entry of await state.readJournal(applyId)) if (entry.seq > last) last = entry.seq;
    return new JournalWriter(state, applyId, { ...options, firstSeq: last + 1 });
  }

  /** Entries handed out so far. */
  get entries(): number {
    return this.#nextSeq - 1;
  }

  // Optional fields are set only when present, not stored as undefined, so entries round-trip through JSON unchanged.

  /** Writes a begin entry and resolves once it is stored: only then may the call be made. */
  async begin(fields: BeginFields): Promise<JournalEntry> {
    // The number is taken before the write is awaited, so steps running side by side get distinct numbers.
    const entry: JournalEntry = {
      applyId: this.applyId,
      seq: this.#nextSeq++,
      at: new Date(this.#now()).toISOString(),
      kind: 'begin',
      phase: fields.phase,
      operation: fields.operation,
      address: fields.address,
      server: fields.server,
      type: fields.type,
      name: fields.name,
      deployment: fields.deployment,
    };
    if (fields.id !== undefined) entry.id = fields.id;
    if (fields.properties !== undefined) entry.properties = fields.properties;
    if (fields.before !== undefined) entry.before = fields.before;
    if (fields.dependsOn !== undefined) entry.dependsOn = fields.dependsOn;
    await this.state.appendJournal(entry);
    return entry;
  }

  /** Writes the end entry that completes `begin`. */
  async end(begin: JournalEntry, fields: EndFields): Promise<JournalEntry> {
    const entry: JournalEntry = {
      applyId: this.applyId,
      seq: this.#nextSeq++,
      at: new Date(this.#now()).toISOString(),
      kind: 'end',
      phase: begin.phase,
      operation: begin.operation,
      address: begin.address,
      server: begin.server,
      type: begin.type,
      name: begin.name,
      deployment: begin.deployment,
      begins: begin.seq,
      outcome: fields.outcome,
    };
    if (fields.id !== undefined) entry.id = fields.id;
    if (fields.outputs !== undefined) entry.outputs = fields.outputs;
    if (fields.error !== undefined) entry.error = fields.error;
    await this.state.appendJournal(entry);
    return entry;
  }
}
