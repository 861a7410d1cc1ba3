import { describe, expect, it } from 'vitest';
import { extractVersions } from '../../../../src/agent/offline/versions.js';

const versions = (text: string, products: string[] = []) =>
  extractVersions(text, products).map((found) => found.value);

describe('extractVersions', () => {
  it('reads versions after the word', () => {
    expect(versions('version 16')).toEqual(['16']);
    expect(versions('v8.0.1')).toEqual(['8.0.1']);
    expect(versions('ver. 7.2')).toEqual(['7.2']);
  });

  it('reads versions after a product name', () => {
    expect(versions('mysql 8.0 cluster', ['mysql'])).toEqual(['8.0']);
    expect(versions('postgres16', ['postgres'])).toEqual(['16']);
  });

  it('does not read sizes after a product name', () => {
    expect(versions('postgres 100GB', ['postgres'])).toEqual([]);
  });
});
