// Public API of the generic dependency graph: building it, checking it for cycles, ordering and rendering it.
export type { CriticalPath, NodeWeight } from './critical-path.js';
export { criticalPath, remainingPathLengths } from './critical-path.js';
export { assertAcyclic, findCycles, formatCycle } from './cycles.js';
export type { DotOptions } from './dot.js';
export { toDot } from './dot.js';
export { Graph } from './graph.js';
export type { GraphErrorCode, GraphErrorOptions } from './graph-error.js';
export { GraphError } from './graph-error.js';
export type { MermaidOptions } from './mermaid.js';
export { toMermaid } from './mermaid.js';
export { topologicalIndices, topologicalOrder } from './topological.js';
export { computeWaves, waveIndex, waveNumbers } from './waves.js';
