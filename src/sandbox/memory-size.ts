// Memory sizes as people and tools write them: Docker's `512m`/`4g`, Proxmox's MiB numbers, `4GB`, `4GiB`. Units are
// binary (Docker and Proxmox both count 1g as 1024^3 bytes).

const UNITS: Readonly<Record<string, number>> = {
  b: 1,
  k: 1024,
  kb: 1024,
  kib: 1024,
  m: 1024 ** 2,
  mb: 1024 ** 2,
  mib: 1024 ** 2,
  g: 1024 ** 3,
  gb: 1024 ** 3,
  gib: 1024 ** 3,
  t: 1024 ** 4,
  tb: 1024 ** 4,
  tib: 1024 ** 4,
};

/**
 * Bytes in a size like `4g`, `512 MiB` or `1.5G`. A bare number is taken in `bareUnit` (bytes for Docker, MiB for
 * Proxmox memory, GiB for Proxmox disks). Undefined when the text is not a size.
 */
export function parseMemorySize(value: string | number, bareUnit: 'b' | 'm' | 'g'): number | undefined {
  if (typeof value === 'number') {
    return Number.isFinite(value) && value >= 0 ? Math.round(value * UNITS[bareUnit]!) : undefined;
  }
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(value);
  if (!match) return undefined;
  const unit = match[2]!.toLowerCase() || bareUnit;
  const factor = UNITS[unit];
  return factor === undefined ? undefined : Math.round(Number(match[1]) * factor);
}

/** `4 GiB`, `512 MiB`: for messages. */
export function formatMemorySize(bytes: number): string {
  for (const [unit, factor] of [
    ['TiB', 1024 ** 4],
    ['GiB', 1024 ** 3],
    ['MiB', 1024 ** 2],
    ['KiB', 1024],
  ] as const) {
    if (bytes >= factor) {
      const amount = bytes / factor;
      return `${Number.isInteger(amount) ? amount : amount.toFixed(1)} ${unit}`;
    }
  }
  return `${bytes} B`;
}
