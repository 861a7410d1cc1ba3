// Which driver works a server: the adapter `conductor.adapter` names; else the native protocol when the server lists
// every native tool; else the first shipped adapter whose tools (or server name) the server matches; else none.
import { ProviderError } from '../execute/provider-error.js';
import { AdaptedDriver } from './adapted-driver.js';
import type { Adapter } from './adapter.js';
import { NATIVE_ADAPTER_NAME } from './adapters/index.js';
import type { McpConnection } from './mcp-connection.js';
import { NativeDriver } from './native-driver.js';
import { NATIVE_TOOL_NAMES } from './native-protocol.js';
import type { ServerDriver } from './server-driver.js';

/** Undefined when the server is neither native nor of a kind an adapter knows. */
export async function chooseDriver(
  connection: McpConnection,
  adapters: readonly Adapter[],
  signal?: AbortSignal,
): Promise<ServerDriver | undefined> {
  const tools = new Set((await connection.listTools(signal)).map((tool) => tool.name));
  const configured = connection.config.adapter;
  if (configured === NATIVE_ADAPTER_NAME) {
    const absent = NATIVE_TOOL_NAMES.filter((name) => !tools.has(name));
    if (absent.length > 0) {
      throw new ProviderError({
        code: 'adapter-mismatch',
        server: connection.name,
        message: `Server "${connection.name}" is configured as native (conductor.adapter) but lacks ${absent.join(', ')}. Remove the setting to detect its kind, or name the adapter that fits it.`,
      });
    }
    return new NativeDriver(connection);
  }
  if (configured !== undefined) {
    const adapter = adapters.find((candidate) => candidate.name === configured);
    if (!adapter) {
      throw new ProviderError({
        code: 'unknown-adapter',
        server: connection.name,
        message: `Server "${connection.name}" names adapter "${configured}" (conductor.adapter), which does not exist. Known: ${[NATIVE_ADAPTER_NAME, ...adapters.map((candidate) => candidate.name)].join(', ')}.`,
      });
    }
    return new AdaptedDriver(connection, adapter);
  }
  if (NATIVE_TOOL_NAMES.every((name) => tools.has(name))) return new NativeDriver(connection);
  const serverName = connection.serverInfo()?.name ?? '';
  const adapter = adapters.find(
    (candidate) =>
      candidate.detect.tools.every((name) => tools.has(name)) ||
      candidate.detect.serverName?.test(serverName) === true,
  );
  return adapter ? new AdaptedDriver(connection, adapter) : undefined;
}
