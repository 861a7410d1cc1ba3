// What one provider call of an apply did, in the form rollback needs to undo it. The executor collects these as it
// goes; `conductor recover` rebuilds them from a crashed apply's journal.
import type { ResourceRecord } from '../model/resource-record.js';
import type { JournalEntry, JournalOperation } from '../state/records.js';
import { isOutcomeUnknown } from './provider-call.js';

export interface CompletedOperation {
  operation: JournalOperation;
  address: string;
  server: string;
  type: string;
  name: string;
  deployment: string;
  /** create: the id it got; update, delete: the resource's id. Absent only for a create whose outcome is unknown. */
  id?: string;
  /** The record before the call: update, delete, and the create of a replacement (the resource it replaces). */
  before?: ResourceRecord;
  /** The record the call produced: create, update. */
  after?: ResourceRecord;
  /** What the call waited for in the apply (the plan's edges, as addresses). */
  dependsOn: string[];
  /** The call never answered (timeout, crash): it may or may not have happened, and rollback must look first. */
  uncertain?: boolean;
}

export interface JournalReadOptions {
  /** Whose calls: the plan's own (`apply`, the default) or an earlier rollback's. */
  phase?: JournalEntry['phase'];
}

/** Calls that ended `ok`, in the order they completed. */
export function completedOperationsFromJournal(
  entries: readonly JournalEntry[],
  options: JournalReadOptions = {},
): CompletedOperation[] {
  const { begins, ends } = pairEntries(entries, options.phase ?? 'apply');
  const operations: CompletedOperation[] = [];
  for (const end of ends) {
    if (end.outcome !== 'ok') continue;
    const begin = begins.get(end.begins!);
    if (begin) operations.push(operationFrom(begin, end));
  }
  return operations;
}

/**
 * Calls whose outcome is unknown: a begin without an end (the process died during the call) or an end whose error
 * leaves it open (a timeout, an unexpected error in the gateway). Marked `uncertain`, in the order they began.
 */
export function unfinishedOperationsFromJournal(
  entries: readonly JournalEntry[],
  options: JournalReadOptions = {},
): CompletedOperation[] {
  const { begins, ends } = pairEntries(entries, options.phase ?? 'apply');
  const ended = new Map<number, JournalEntry>();
  for (const end of ends) ended.set(end.begins!, end);
  const operations: CompletedOperation[] = [];
  for (const begin of begins.values()) {
    const end = ended.get(begin.seq);
    if (end && (end.outcome === 'ok' || !end.error || !isOutcomeUnknown(end.error))) continue;
    operations.push({ ...operationFrom(begin, undefined), uncertain: true });
  }
  return operations;
}

function pairEntries(
  entries: readonly JournalEntry[],
  phase: JournalEntry['phase'],
): { begins: Map<number, JournalEntry>; ends: JournalEntry[] } {
  const sorted = entries.filter((entry) => entry.phase === phase).sort((a, b) => a.seq - b.seq);
  const begins = new Map<number, JournalEntry>();
  const ends: JournalEntry[] = [];
  for (const entry of sorted) {
    if (entry.kind === 'begin') begins.set(entry.seq, entry);
    else if (entry.begins !== undefined) ends.push(entry);
  }
  return { begins, ends };
}

function operationFrom(begin: JournalEntry, end: JournalEntry | undefined): CompletedOperation {
  const operation: CompletedOperation = {
    operation: begin.operation,
    address: begin.address,
    server: begin.server,
    type: begin.type,
    name: begin.name,
    deployment: begin.deployment,
    dependsOn: begin.dependsOn ?? [],
  };
  const id = begin.operation === 'create' ? end?.id : begin.id;
  if (id !== undefined) operation.id = id;
  if (begin.before) operation.before = begin.before;
  if (begin.operation !== 'delete' && begin.properties) {
    operation.after = {
      address: begin.address,
      server: begin.server,
      type: begin.type,
      name: begin.name,
      deployment: begin.deployment,
      properties: begin.properties,
      outputs: end?.outputs ?? {},
      dependsOn: begin.dependsOn ?? [],
      ...(id !== undefined ? { id } : {}),
      ...(begin.before?.sensitive ? { sensitive: begin.before.sensitive } : {}),
    };
  }
  return operation;
}
