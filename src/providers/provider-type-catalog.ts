// The types every server holds, as the planner asks about them: replacement, secrets, references between resources
// and schemas, plus which operations each type supports (so review can say "delete unsupported" before applying).
import { compareText } from '../model/compare-text.js';
import type { Diagnostic } from '../model/diagnostic.js';
import type { TypeCatalog, TypeInfo } from '../model/type-catalog.js';
import type { TypeReference } from './adapter.js';
import type { OperationSupport } from './server-driver.js';

export interface ProviderTypeInfo extends TypeInfo {
  server: string;
  type: string;
  description: string;
  /** JSON Schema of the properties create and update accept. */
  schema?: Record<string, unknown>;
  outputs?: readonly string[];
  references?: readonly TypeReference[];
  operations: OperationSupport;
  /** `native`, or the name of the adapter that describes the type. */
  source: string;
}

export class ProviderTypeCatalog implements TypeCatalog {
  private readonly byKey = new Map<string, ProviderTypeInfo>();

  constructor(
    types: readonly ProviderTypeInfo[],
    /** Servers that could not be described (unavailable, no adapter): their types are simply unknown. */
    readonly diagnostics: readonly Diagnostic[] = [],
  ) {
    for (const info of types) this.byKey.set(`${info.server}\u0000${info.type}`, info);
  }

  /** `type` may carry the server prefix (`opnsense:network:vlan`). */
  describe(server: string, type: string): ProviderTypeInfo | undefined {
    return (
      this.byKey.get(`${server}\u0000${type}`) ??
      (type.startsWith(`${server}:`)
        ? this.byKey.get(`${server}\u0000${type.slice(server.length + 1)}`)
        : undefined)
    );
  }

  /** Every type, or one server's, in server then type order. */
  types(server?: string): ProviderTypeInfo[] {
    return [...this.byKey.values()]
      .filter((info) => server === undefined || info.server === server)
      .sort((a, b) =>
        a.server === b.server ? compareText(a.type, b.type) : compareText(a.server, b.server),
      );
  }
}
