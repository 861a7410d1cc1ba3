import { describe, expect, it } from 'vitest';
import { extractImages } from '../../../../src/agent/offline/images.js';

const images = (text: string) => extractImages(text).map((found) => found.value);

describe('extractImages', () => {
  it('reads references with a registry, path, tag or digest', () => {
    expect(images('run ghcr.io/acme/api:2.1 now')).toEqual(['ghcr.io/acme/api:2.1']);
    expect(images('nginx:1.27-alpine')).toEqual(['nginx:1.27-alpine']);
    expect(images('image acme/shop')).toEqual(['acme/shop']);
    expect(images('localhost:5000/team/app:latest')).toEqual(['localhost:5000/team/app:latest']);
    expect(images(`redis@sha256:${'a'.repeat(64)}`)).toEqual([`redis@sha256:${'a'.repeat(64)}`]);
  });

  it('skips addresses, ports, paths and word pairs', () => {
    expect(images('10.0.0.0/24 and 10.0.0.5:3000 and /health and nas:5000 and tcp/udp')).toEqual([]);
  });
});
