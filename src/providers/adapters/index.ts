// The adapters Conductor ships, one per third-party server kind. `conductor.adapter` names one of these (or "native").
import type { Adapter } from '../adapter.js';
import { filesystemAdapter } from './filesystem.js';
import { memoryAdapter } from './memory.js';

export const BUILTIN_ADAPTERS: readonly Adapter[] = [memoryAdapter, filesystemAdapter];

/** What `conductor.adapter` accepts: "native" forces the native protocol; the rest are the adapters'. */
export const NATIVE_ADAPTER_NAME = 'native';

export function adapterNames(adapters: readonly Adapter[] = BUILTIN_ADAPTERS): string[] {
  return [NATIVE_ADAPTER_NAME, ...adapters.map((adapter) => adapter.name)];
}
