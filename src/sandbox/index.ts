// The built-in sandbox: simulated providers served as MCP servers that speak the native resource protocol.
export type { CreateInput, SandboxEngineOptions, TypedIdInput, UpdateInput } from './engine.js';
export { describeType, SandboxEngine } from './engine.js';
export type { FaultDecision, FaultOperation, ServerFaults } from './faults.js';
export { FaultInjector, parseFaultsEnv, serverFaultsSchema } from './faults.js';
export type { InventoryStore } from './inventory-store.js';
export { FileInventoryStore, MemoryInventoryStore, sandboxInventoryFile } from './inventory-store.js';
export { sandboxProvider } from './providers/index.js';
export type { SandboxRecord } from './resource-record.js';
export type { SandboxErrorCode } from './sandbox-error.js';
export { SANDBOX_ERROR_CODES, SandboxError } from './sandbox-error.js';
export type { SandboxProviderName, SandboxServerCommand } from './server-command.js';
export { isSandboxProvider, SANDBOX_PROVIDERS, sandboxServerCommand } from './server-command.js';
export type { SandboxContext, SandboxProvider, TypeSpec } from './type-spec.js';
