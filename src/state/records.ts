// What the state store keeps besides resources: deployments, applies, the write-ahead journal, revisions, the lock.
import { z } from 'zod';
import { planSchema, planSummarySchema } from '../model/plan.js';
import { deploymentSchema, propertiesSchema } from '../model/resource.js';
import { resourceRecordSchema } from '../model/resource-record.js';

export const deploymentStatusSchema = z.enum([
  /** An apply or destroy is running (or was interrupted: `conductor recover`). */
  'applying',
  'applied',
  /** The last apply failed and was rolled back: what was there before is there again. */
  'rolled-back',
  /** The last apply failed and some of it remains (no rollback, or a rollback that failed). */
  'failed',
  'destroyed',
]);
export type DeploymentStatus = z.infer<typeof deploymentStatusSchema>;

export const deploymentRecordSchema = z.object({
  name: z.string(),
  status: deploymentStatusSchema,
  /** The sentence the deployment came from, when it came from one. */
  request: z.string().optional(),
  pattern: z.string().optional(),
  params: propertiesSchema.optional(),
  /** The last plan applied (secrets masked). */
  plan: planSchema.optional(),
  /** The latest revision number; 0 before the first apply finished. */
  revision: z.number().int().nonnegative(),
  lastApply: z.string().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type DeploymentRecord = z.infer<typeof deploymentRecordSchema>;

export const lockOwnerSchema = z.object({
  pid: z.number().int(),
  host: z.string(),
  /** ISO time the lock was taken. */
  since: z.string(),
  /** What the holder is doing, e.g. `apply game-server`. */
  operation: z.string(),
  /** Random token: tells this holder's lock from a later one by the same pid. */
  token: z.string(),
});
export type LockOwner = z.infer<typeof lockOwnerSchema>;

export const problemSchema = z.object({
  code: z.string(),
  summary: z.string(),
  detail: z.string(),
  /** The failed call may have taken effect anyway (timeout, lost connection): look before undoing. */
  outcomeUnknown: z.boolean().optional(),
});
export type Problem = z.infer<typeof problemSchema>;

/** A resource an apply could not put back the way it found it. */
export const leftBehindSchema = z.object({
  address: z.string(),
  server: z.string(),
  id: z.string().optional(),
  /** What the rollback tried: delete what was created, restore what was updated, re-create what was deleted. */
  operation: z.enum(['create', 'update', 'delete']),
  reason: z.string(),
});
export type LeftBehind = z.infer<typeof leftBehindSchema>;

export const applyStatusSchema = z.enum([
  'running',
  'succeeded',
  /** Failed and undone: the providers hold what they held before. */
  'rolled-back',
  /** Failed and kept what succeeded (--no-rollback). */
  'failed',
  /** Failed, and the rollback failed too: see leftBehind. */
  'rollback-failed',
  /** A crashed run that `conductor recover` has dealt with. */
  'recovered',
]);
export type ApplyStatus = z.infer<typeof applyStatusSchema>;

export const applyRecordSchema = z.object({
  id: z.string(),
  deployment: z.string(),
  operation: z.enum(['apply', 'destroy', 'recover']),
  status: applyStatusSchema,
  owner: lockOwnerSchema,
  /** The plan being applied (secrets masked), so recover can resume it. */
  plan: planSchema,
  summary: planSummarySchema,
  /** Whether a failure rolls back (false with --no-rollback). */
  rollback: z.boolean(),
  startedAt: z.string(),
  finishedAt: z.string().optional(),
  durationMs: z.number().optional(),
  error: problemSchema.optional(),
  leftBehind: z.array(leftBehindSchema).optional(),
  /** The deployment document applied, when there was one: `recover --resume` plans it again. */
  source: deploymentSchema.optional(),
  /** For recover runs: the apply being recovered. */
  recovers: z.string().optional(),
});
export type ApplyRecord = z.infer<typeof applyRecordSchema>;

export const journalOperationSchema = z.enum(['create', 'update', 'delete']);
export type JournalOperation = z.infer<typeof journalOperationSchema>;

/**
 * Write-ahead journal. A `begin` entry is written before every provider call, an `end` entry after it. Entries are
 * never changed: a `begin` without an `end` is a call whose outcome only the provider knows.
 */
export const journalEntrySchema = z.object({
  applyId: z.string(),
  /** 1, 2, 3, ... within the apply. */
  seq: z.number().int().positive(),
  at: z.string(),
  kind: z.enum(['begin', 'end']),
  /** `apply` for the plan's own steps, `rollback` for undoing them. */
  phase: z.enum(['apply', 'rollback']),
  operation: journalOperationSchema,
  address: z.string(),
  server: z.string(),
  type: z.string(),
  name: z.string(),
  deployment: z.string(),
  /** begin: the id being updated or deleted. end: the id created. */
  id: z.string().optional(),
  /** begin of create/update: the resolved properties sent. */
  properties: propertiesSchema.optional(),
  /** begin of update/delete: the record before the call, so the call can be undone. */
  before: resourceRecordSchema.optional(),
  /** begin: addresses the resource depends on (recorded in state with it). */
  dependsOn: z.array(z.string()).optional(),
  /** end: the begin entry this completes. */
  begins: z.number().int().positive().optional(),
  /** end: how the call went. */
  outcome: z.enum(['ok', 'failed']).optional(),
  outputs: propertiesSchema.optional(),
  error: problemSchema.optional(),
});
export type JournalEntry = z.infer<typeof journalEntrySchema>;

/** One apply's effect on a deployment: replaying revisions 1..n gives the deployment as of revision n. */
export const revisionRecordSchema = z.object({
  deployment: z.string(),
  revision: z.number().int().positive(),
  applyId: z.string(),
  at: z.string(),
  status: applyStatusSchema,
  changes: z.array(
    z.object({
      address: z.string(),
      server: z.string(),
      name: z.string(),
      /** The record after the apply; absent when the resource was removed. */
      record: resourceRecordSchema.optional(),
    }),
  ),
});
export type RevisionRecord = z.infer<typeof revisionRecordSchema>;
