// Names the patterns derive from parameters. Deployment and resource names must be segments (letters, digits, "-",
// "_") and stay the same for the same parameters, because a follow-up request re-generates and re-plans the deployment
// by its name. DNS names must be fully qualified.

/** `My Shop!` → `my-shop`; `fallback` when nothing usable is left. */
export function slug(text: string, fallback = 'app', maxLength = 40): string {
  const cleaned = text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+/, '')
    .slice(0, maxLength)
    .replace(/-+$/, '');
  return cleaned === '' ? fallback : cleaned;
}

/** `dev` stays `dev`, `sandbox` becomes `dev-sandbox`: the prefix once, not twice. */
export function prefixed(prefix: string, name: string): string {
  const base = slug(name, prefix);
  return base === prefix || base.startsWith(`${prefix}-`) ? base : `${prefix}-${base}`;
}

/**
 * A name for a provider that allows at most `maxLength` characters (ELB names: 32). Too long a base is cut and given
 * a short hash of the whole, so two long names that share a beginning still differ.
 */
export function limitedName(base: string, suffix: string, maxLength: number): string {
  const whole = `${base}-${suffix}`;
  if (whole.length <= maxLength) return whole;
  const hash = shortHash(whole);
  const room = maxLength - suffix.length - hash.length - 2;
  return `${base.slice(0, room).replace(/-+$/, '')}-${hash}-${suffix}`;
}

/** Four hex digits of FNV-1a: stable across runs and platforms. */
function shortHash(text: string): string {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return (hash & 0xffff).toString(16).padStart(4, '0');
}

/** The zone for names given without one: RFC 8375's special-use domain for home networks. */
export const HOME_ZONE = 'home.arpa';

/** A host name as a DNS record needs it: `minecraft` → `minecraft.home.arpa`, no trailing dot, lower case. */
export function fullyQualified(name: string, zone = HOME_ZONE): string {
  const trimmed = name.trim().toLowerCase().replace(/\.$/, '');
  return trimmed.includes('.') ? trimmed : `${trimmed}.${zone}`;
}

/** Suffixes that never resolve in the public DNS, so no public CA issues certificates for them. */
const PRIVATE_SUFFIXES = [
  'local',
  'localhost',
  'lan',
  'home',
  'internal',
  'intranet',
  'corp',
  'home.arpa',
  'test',
  'invalid',
  'onion',
];

/** Whether a public CA (Let's Encrypt, ACM) could issue a certificate for the name. */
export function isPublicDomain(name: string): boolean {
  const lower = name.toLowerCase().replace(/\.$/, '');
  if (!lower.includes('.') || /^[\d.]+$/.test(lower)) return false;
  return !PRIVATE_SUFFIXES.some((suffix) => lower === suffix || lower.endsWith(`.${suffix}`));
}

/**
 * A value for a secret the pattern cannot know (a database password). It is plainly a placeholder, so nobody mistakes
 * it for a real secret; the resource lists its path as sensitive, so review masks it.
 */
export function placeholderSecret(purpose: string): string {
  return `change-me-${purpose}`;
}

/** Memory as Docker writes it: whole gigabytes as `4g`, fractions in megabytes (`1536m`). */
export function dockerMemory(gigabytes: number): string {
  return Number.isInteger(gigabytes) ? `${gigabytes}g` : `${Math.round(gigabytes * 1024)}m`;
}
