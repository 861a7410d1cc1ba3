// The benchmarks print tables the same way the CLI does.
export { type Cell, formatNumber, formatTable } from '../src/review/format-table.js';
