// Addresses name a resource across servers: `server:type:name`, e.g. `opnsense:network:vlan:game-vlan`.
import { z } from 'zod';

/** One segment of a server name, a type or a resource name. Dots are excluded: they start an output path. */
export const SEGMENT_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_-]*$/;

export const segmentSchema = z
  .string()
  .regex(SEGMENT_PATTERN, 'use letters, digits, "-" and "_" only (no dots, colons or spaces)');

/** One or more segments separated by colons. */
export const TYPE_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_-]*(?::[A-Za-z0-9_][A-Za-z0-9_-]*)*$/;

/** A type without its server, e.g. `network:vlan` or `service:haproxy:frontend`. */
export const resourceTypeSchema = z
  .string()
  .regex(TYPE_PATTERN, 'a type is one or more segments separated by ":" (letters, digits, "-" and "_")');

export const addressSchema = z.object({
  server: segmentSchema,
  type: resourceTypeSchema,
  name: segmentSchema,
});
export type Address = z.infer<typeof addressSchema>;

export function formatAddress(address: Address): string {
  return `${address.server}:${address.type}:${address.name}`;
}

/**
 * A possibly partial address as users write it in `dependsOn`: `server:type:name`, `server:name`
 * (type left out), or a bare `name` (same server). The type may be abbreviated; resolution decides.
 */
export interface AddressPattern {
  server?: string;
  typeHint?: string;
  name: string;
}

/** Splits an address or address pattern; returns undefined when a segment is malformed. */
export function parseAddressPattern(text: string): AddressPattern | undefined {
  const segments = text.split(':');
  if (!segments.every((segment) => SEGMENT_PATTERN.test(segment))) return undefined;
  const name = segments[segments.length - 1]!;
  if (segments.length === 1) return { name };
  const server = segments[0]!;
  if (segments.length === 2) return { server, name };
  return { server, typeHint: segments.slice(1, -1).join(':'), name };
}

/** Parses a full address; undefined unless it has a server, at least one type segment and a name. */
export function parseAddress(text: string): Address | undefined {
  const pattern = parseAddressPattern(text);
  if (!pattern?.server || !pattern.typeHint) return undefined;
  return { server: pattern.server, type: pattern.typeHint, name: pattern.name };
}
