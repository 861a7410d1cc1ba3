// Ports and port ranges as firewalls and container runtimes take them: `443`, `"443"`, `"8000-8080"` (pf also writes
// `8000:8080`). Conflicts between forwards and published ports are overlaps of these ranges.

export interface PortRange {
  from: number;
  to: number;
}

export function isPort(value: number): boolean {
  return Number.isInteger(value) && value >= 1 && value <= 65535;
}

/** Undefined when the value is not a port or an ascending range of ports. */
export function parsePortRange(value: string | number): PortRange | undefined {
  if (typeof value === 'number') return isPort(value) ? { from: value, to: value } : undefined;
  const match = /^\s*(\d{1,5})\s*(?:[-:]\s*(\d{1,5}))?\s*$/.exec(value);
  if (!match) return undefined;
  const from = Number(match[1]);
  const to = match[2] === undefined ? from : Number(match[2]);
  return isPort(from) && isPort(to) && from <= to ? { from, to } : undefined;
}

export function portRangesOverlap(left: PortRange, right: PortRange): boolean {
  return left.from <= right.to && right.from <= left.to;
}

export function formatPortRange(range: PortRange): string {
  return range.from === range.to ? String(range.from) : `${range.from}-${range.to}`;
}
