// Public certificate authorities (Let's Encrypt, ACM) only issue for names in the public DNS. Names under these
// suffixes never are, so both simulated issuers refuse them, as the real ones do.

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

export function isPrivateDomain(name: string): boolean {
  const lower = name.toLowerCase().replace(/\.$/, '');
  return (
    !lower.includes('.') ||
    PRIVATE_SUFFIXES.some((suffix) => lower === suffix || lower.endsWith(`.${suffix}`))
  );
}
