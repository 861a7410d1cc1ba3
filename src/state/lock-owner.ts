// Who is taking the state lock, and the ids applies are recorded under.
import { randomBytes, randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { LockOwner } from './records.js';

export function createLockOwner(operation: string, now = new Date()): LockOwner {
  return { pid: process.pid, host: hostname(), since: now.toISOString(), operation, token: randomUUID() };
}

/** Sortable by time and unique: `20261122T011530Z-3f9a1c`. */
export function createApplyId(now = new Date()): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `${stamp}-${randomBytes(3).toString('hex')}`;
}
