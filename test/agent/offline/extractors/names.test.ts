import { describe, expect, it } from 'vitest';
import {
  extractCalledNames,
  extractNamesBefore,
  extractQuoted,
} from '../../../../src/agent/offline/names.js';

const values = (found: Array<{ value: string }>) => found.map((entry) => entry.value);

describe('names', () => {
  it('reads quoted names in every quote style, not apostrophes', () => {
    expect(values(extractQuoted('called "shop"'))).toEqual(['shop']);
    expect(values(extractQuoted("as 'api' and “blog” and `wiki`"))).toEqual(['api', 'blog', 'wiki']);
    expect(values(extractQuoted("I can't, it's mine"))).toEqual([]);
  });

  it('reads names after naming words', () => {
    expect(values(extractCalledNames('a dev env called sandbox'))).toEqual(['sandbox']);
    expect(values(extractCalledNames('named staging-2, please'))).toEqual(['staging-2']);
    expect(values(extractCalledNames('name it lab'))).toEqual(['lab']);
  });

  it('reads the name before what is named, not words that only describe', () => {
    expect(values(extractNamesBefore('deploy my shop app', ['app']))).toEqual(['shop']);
    expect(values(extractNamesBefore('deploy a web app', ['app']))).toEqual([]);
    expect(values(extractNamesBefore('my new app', ['app']))).toEqual([]);
  });
});
