// IPv4 addresses and CIDR blocks as 32-bit numbers: parsing with messages that say what is wrong, containment,
// overlap and allocation of the lowest free address. Simulated providers hand out addresses the way DHCP and cloud
// VPCs do, so the arithmetic lives in one place.
import { isIPv4 } from 'node:net';

export interface Cidr {
  /** The network address. */
  network: number;
  prefix: number;
  /** The first address after the block (may be 2^32). */
  end: number;
}

export function parseIpv4(text: string): number | undefined {
  if (!isIPv4(text)) return undefined;
  return text.split('.').reduce((value, octet) => value * 256 + Number(octet), 0);
}

export function formatIpv4(value: number): string {
  return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join('.');
}

export type CidrParse = { ok: true; cidr: Cidr; host: number } | { ok: false; problem: string };

/**
 * Parses `a.b.c.d/n`. The host part is kept (`host`) for interface addresses like `10.20.0.1/24`; callers that need a
 * network block check `host === cidr.network` with {@link parseNetwork}.
 */
export function parseCidr(text: string): CidrParse {
  const match = /^([^/]+)\/(\d{1,2})$/.exec(text.trim());
  if (!match)
    return { ok: false, problem: `"${text}" is not in CIDR notation (address/prefix, e.g. 10.0.1.0/24)` };
  const host = parseIpv4(match[1]!);
  const prefix = Number(match[2]);
  if (host === undefined) return { ok: false, problem: `"${match[1]}" in "${text}" is not an IPv4 address` };
  if (prefix > 32) return { ok: false, problem: `prefix /${prefix} in "${text}" is longer than 32 bits` };
  const size = 2 ** (32 - prefix);
  const network = host - (host % size);
  return { ok: true, cidr: { network, prefix, end: network + size }, host };
}

/** Parses a network block whose host bits are zero, as AWS and Docker require (`10.0.1.5/24` is refused). */
export function parseNetwork(text: string): { ok: true; cidr: Cidr } | { ok: false; problem: string } {
  const parsed = parseCidr(text);
  if (!parsed.ok) return parsed;
  if (parsed.host !== parsed.cidr.network) {
    return {
      ok: false,
      problem: `"${text}" has host bits set; the network is ${formatCidr(parsed.cidr)}`,
    };
  }
  return { ok: true, cidr: parsed.cidr };
}

export function formatCidr(cidr: Cidr): string {
  return `${formatIpv4(cidr.network)}/${cidr.prefix}`;
}

export function cidrContains(cidr: Cidr, address: number): boolean {
  return address >= cidr.network && address < cidr.end;
}

export function cidrWithin(inner: Cidr, outer: Cidr): boolean {
  return inner.network >= outer.network && inner.end <= outer.end;
}

export function cidrsOverlap(left: Cidr, right: Cidr): boolean {
  return left.network < right.end && right.network < left.end;
}

export function cidrSize(cidr: Cidr): number {
  return cidr.end - cidr.network;
}

export interface AllocateOptions {
  /** Addresses at the start of the block that are never handed out (network address, router, DNS...). */
  reserveLow: number;
  /** Addresses at the end of the block that are never handed out (broadcast...). */
  reserveHigh: number;
  /** Start searching here (e.g. a DHCP-style pool that begins at .100). */
  from?: number;
}

/** The lowest address in the block that is neither reserved nor in `used`; undefined when the block is full. */
export function allocateAddress(
  cidr: Cidr,
  used: ReadonlySet<number>,
  options: AllocateOptions,
): number | undefined {
  const first = Math.max(cidr.network + options.reserveLow, options.from ?? 0);
  const last = cidr.end - 1 - options.reserveHigh;
  for (let address = first; address <= last; address++) {
    if (!used.has(address)) return address;
  }
  return undefined;
}

/** Whether `address` is a usable host in the block under the same reservations. */
export function isAssignable(cidr: Cidr, address: number, options: AllocateOptions): boolean {
  return address >= cidr.network + options.reserveLow && address <= cidr.end - 1 - options.reserveHigh;
}
