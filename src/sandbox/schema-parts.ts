// Property schemas several providers share: addresses, networks, ports, names. Each carries the message that tells
// the caller what to write instead, because these messages are what a user sees when an apply is refused.
import { isIP, isIPv4 } from 'node:net';
import { z } from 'zod';
import { parseCidr, parseNetwork } from './ipv4.js';
import { parsePortRange } from './port-range.js';

export const ipv4Address = z.string().refine((value) => isIPv4(value), {
  error: (issue) => `"${issue.input}" is not an IPv4 address (e.g. 10.0.1.10)`,
});

export const ipAddress = z
  .string()
  .refine((value) => isIP(value) !== 0, { error: (issue) => `"${issue.input}" is not an IP address` });

/** A network block with zero host bits: `10.20.0.0/24`. */
export const ipv4Network = z.string().superRefine((value, context) => {
  const parsed = parseNetwork(value);
  if (!parsed.ok) context.addIssue({ code: 'custom', message: parsed.problem, input: value });
});

/** An interface address with its prefix: `10.20.0.1/24`. */
export const ipv4InterfaceAddress = z.string().superRefine((value, context) => {
  const parsed = parseCidr(value);
  if (!parsed.ok) context.addIssue({ code: 'custom', message: parsed.problem, input: value });
});

export const port = z.int().min(1, 'ports are 1-65535').max(65535, 'ports are 1-65535');

/** `443`, `"443"` or a range `"8000-8080"`. */
export const portOrRange = z.union([port, z.string()]).superRefine((value, context) => {
  if (typeof value === 'string' && parsePortRange(value) === undefined) {
    context.addIssue({
      code: 'custom',
      message: `"${value}" is not a port (1-65535) or a range like 8000-8080`,
      input: value,
    });
  }
});

/** A DNS name: labels of letters, digits and hyphens; `*.` allowed first. */
export function isHostname(value: string): boolean {
  if (value.length === 0 || value.length > 253) return false;
  const labels = value.replace(/\.$/, '').split('.');
  return labels.every(
    (label, index) => (index === 0 && label === '*') || /^(?!-)[A-Za-z0-9_-]{1,63}(?<!-)$/.test(label),
  );
}

export const hostname = z
  .string()
  .refine(isHostname, { error: (issue) => `"${issue.input}" is not a DNS name (e.g. app.example.com)` });

/** AWS and Docker style key/value tags and labels. */
export const stringMap = z.record(z.string(), z.string());
