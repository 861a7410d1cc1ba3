// Providers: MCP servers from the configuration (or the built-in sandbox), connections to them, adapters for
// third-party servers, and the gateway the executor applies through.

export type {
  Adapter,
  AdapterListRequest,
  AdapterType,
  ErrorRule,
  Operation,
  OperationSpec,
  SessionLookup,
  StepScope,
  ToolChoice,
  ToolStep,
  TypeReference,
} from './adapter.js';
export { defineAdapter, OPERATIONS } from './adapter.js';
export { AdapterError } from './adapter-error.js';
export { filesystemAdapter } from './adapters/filesystem.js';
export { adapterNames, BUILTIN_ADAPTERS, NATIVE_ADAPTER_NAME } from './adapters/index.js';
export { memoryAdapter } from './adapters/memory.js';
export type {
  ImportClaudeDesktopOptions,
  ImportClaudeDesktopResult,
  SkippedServer,
} from './claude-desktop-import.js';
export { claudeDesktopConfigPath, importClaudeDesktopServers } from './claude-desktop-import.js';
export type { ExpandedText } from './expand-variables.js';
export { expandVariables } from './expand-variables.js';
export type { InventoryOptions, ServerInventory, UnlistedType } from './inventory.js';
export { inventory } from './inventory.js';
export type {
  ConnectedTransport,
  ConnectionState,
  McpConnectionOptions,
  ToolCallOptions,
  ToolProgress,
} from './mcp-connection.js';
export { McpConnection } from './mcp-connection.js';
export type { McpGatewayOptions, ServerSelection, ServerStatus } from './mcp-gateway.js';
export { McpGateway } from './mcp-gateway.js';
export type { ProviderTypeInfo } from './provider-type-catalog.js';
export { ProviderTypeCatalog } from './provider-type-catalog.js';
export type { CreateProvidersOptions, Providers, SandboxSource } from './registry.js';
export { BUILTIN_SANDBOX, createProviders } from './registry.js';
export type { RestartPolicyOptions } from './restart-policy.js';
export type {
  HttpTransportConfig,
  ParsedServerConfigs,
  ParseServerConfigsOptions,
  ServerConfig,
  ServerTransportConfig,
  StdioTransportConfig,
} from './server-config.js';
export { DEFAULT_SERVER_TIMEOUT_MS, formatKeyPath, parseServerConfigs } from './server-config.js';
export { serverDiagnostic } from './server-diagnostic.js';
export type { DriverType, OperationSupport } from './server-driver.js';
export type { ServerInfo, ToolDescription, ToolOutput, ToolResult } from './tool-result.js';
export { readToolOutput } from './tool-result.js';
