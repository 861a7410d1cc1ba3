// Baseline only: the `DependencyGraph` that /work/shared/origin-docs/04-multi-mcp-integration.md §2 uses but does not
// define, written the natural way: a Map of nodes, each with the ids it depends on. A node is ready when none of its
// dependencies is still in the graph, found by scanning every remaining node. Not used by Conductor.

export interface GraphNode<T> {
  id: string;
  data: T;
  dependencies: string[];
}

export class DependencyGraph<T> {
  private nodes = new Map<string, GraphNode<T>>();

  addNode(id: string, data: T): void {
    this.nodes.set(id, { id, data, dependencies: [] });
  }

  /** `from` depends on `to`. `to` may be added later (the doc adds edges while it is still adding nodes). */
  addEdge(from: string, to: string): void {
    this.nodes.get(from)?.dependencies.push(to);
  }

  hasNodes(): boolean {
    return this.nodes.size > 0;
  }

  getNode(id: string): GraphNode<T> {
    const node = this.nodes.get(id);
    if (!node) throw new Error(`Unknown node ${id}`);
    return node;
  }

  removeNode(id: string): void {
    this.nodes.delete(id);
  }

  getNodesWithoutDependencies(): string[] {
    const ready: string[] = [];
    for (const node of this.nodes.values()) {
      if (!node.dependencies.some((dependency) => this.nodes.has(dependency))) ready.push(node.id);
    }
    return ready;
  }
}
