// Baseline only: a faithful re-implementation of `CrossMCPReference` from
// /work/shared/origin-docs/04-multi-mcp-integration.md §1, kept to measure the project's planner against. Not used
// by Conductor.

export class CrossMCPReference {
  constructor(
    public server: string,
    public resourceType: string,
    public resourceId: string,
    public outputProperty: string,
  ) {}

  toString(): string {
    return `\${${this.server}:${this.resourceType}:${this.resourceId}.${this.outputProperty}}`;
  }

  static parse(reference: string): CrossMCPReference | null {
    const match = reference.match(/\$\{([^:]+):([^:]+):([^.]+)\.([^}]+)\}/);
    if (!match) return null;
    return new CrossMCPReference(
      match[1]!, // server
      match[2]!, // resourceType
      match[3]!, // resourceId
      match[4]!, // outputProperty
    );
  }
}
