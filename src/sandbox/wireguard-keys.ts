// WireGuard keys are X25519 keys written as 44-character base64. The sandbox derives real public keys from private
// keys (so a peer's config would actually work against a real server) using Node's crypto.
import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';

/** DER prefix of a PKCS#8 X25519 private key; the 32 raw key bytes follow it. */
const PKCS8_X25519_PREFIX = Buffer.from('302e020100300506032b656e04220420', 'hex');

export interface WireguardKeyPair {
  privateKey: string;
  publicKey: string;
}

export function isWireguardKey(value: string): boolean {
  return /^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$/.test(value);
}

export function generateWireguardKeyPair(): WireguardKeyPair {
  const { privateKey } = generateKeyPairSync('x25519');
  const jwk = privateKey.export({ format: 'jwk' });
  return {
    privateKey: Buffer.from(jwk.d!, 'base64url').toString('base64'),
    publicKey: Buffer.from(jwk.x!, 'base64url').toString('base64'),
  };
}

export function wireguardPublicKey(privateKey: string): string {
  const der = Buffer.concat([PKCS8_X25519_PREFIX, Buffer.from(privateKey, 'base64')]);
  const key = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  return Buffer.from(createPublicKey(key).export({ format: 'jwk' }).x!, 'base64url').toString('base64');
}
