import { describe, expect, it } from 'vitest';
import { chooseMany, chooseOne, extractChoices } from '../../../../src/agent/offline/choices.js';

const ENGINES = ['postgres', 'mysql', 'mongodb', 'redis'];
const SYNONYMS = { postgres: ['postgresql', 'pg'], mysql: ['mariadb'], mongodb: ['mongo'] };

const one = (text: string) => chooseOne(text, extractChoices(text, ENGINES, SYNONYMS))?.value;
const many = (text: string) => chooseMany(extractChoices(text, ENGINES, SYNONYMS));

describe('enum values', () => {
  it('reads options and their synonyms', () => {
    expect(one('a PostgreSQL cluster')).toBe('postgres');
    expect(one('mariadb please')).toBe('mysql');
    expect(one('mongo')).toBe('mongodb');
  });

  it('tolerates one typo in longer names', () => {
    expect(one('a postgress cluster')).toBe('postgres');
    expect(one('mongodn')).toBe('mongodb');
  });

  it('does not stretch short synonyms', () => {
    expect(one('on my pc')).toBeUndefined();
  });

  it('prefers the value switched to', () => {
    expect(one('switch from mysql to postgres')).toBe('postgres');
    expect(one('use mongo instead of mysql')).toBe('mongodb');
  });
});

describe('lists of enum values', () => {
  it('reads every wanted value once, in order', () => {
    expect(many('postgres and mongo')).toEqual(['postgres', 'mongodb']);
    expect(many('pg, mariadb, mongodb and postgresql')).toEqual(['postgres', 'mysql', 'mongodb']);
  });

  it('leaves out negated values', () => {
    expect(many('postgres but no mysql')).toEqual(['postgres']);
    expect(many('mongo, without mysql or postgres')).toEqual(['mongodb']);
  });
});
