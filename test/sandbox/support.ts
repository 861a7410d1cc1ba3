// Helpers for the sandbox tests: an engine over an in-memory inventory, and a check that a call was refused with a
// given code.
import { expect } from 'vitest';
import { SandboxEngine } from '../../src/sandbox/engine.js';
import { MemoryInventoryStore } from '../../src/sandbox/inventory-store.js';
import { sandboxProvider } from '../../src/sandbox/providers/index.js';
import { SandboxError, type SandboxErrorCode } from '../../src/sandbox/sandbox-error.js';
import type { SandboxProviderName } from '../../src/sandbox/server-command.js';

export interface TestEngine {
  engine: SandboxEngine;
  store: MemoryInventoryStore;
  /** Creates and returns the new resource's outputs. */
  create(type: string, name: string, properties: Record<string, unknown>): Promise<Record<string, unknown>>;
}

export async function openTestEngine(provider: SandboxProviderName): Promise<TestEngine> {
  const store = new MemoryInventoryStore();
  const engine = await SandboxEngine.open({ provider: sandboxProvider(provider), store });
  return {
    engine,
    store,
    create: async (type, name, properties) => (await engine.create({ type, name, properties })).outputs,
  };
}

/** Runs the call and returns the SandboxError it was refused with, after checking its code. */
export async function refusal(call: () => unknown, code: SandboxErrorCode): Promise<SandboxError> {
  let caught: unknown;
  try {
    await call();
  } catch (error) {
    caught = error;
  }
  if (!SandboxError.isInstance(caught)) {
    throw new Error(
      `expected a SandboxError with code ${code}, got ${caught === undefined ? 'success' : String(caught)}`,
    );
  }
  expect(caught.code, caught.message).toBe(code);
  return caught;
}
