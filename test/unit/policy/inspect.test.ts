import { describe, expect, it } from 'vitest';
import { unknownValue } from '../../../src/model/unknown.js';
import { allOf, anyOf, coversPorts, isAnyAddress, isWan, portRange } from '../../../src/policy/inspect.js';

const later = unknownValue('${aws:ec2:web.port}');

describe('three-valued logic', () => {
  it('lets a definite false decide allOf and a definite true decide anyOf, whatever is unknown', () => {
    expect(allOf(true, 'unknown', false)).toBe(false);
    expect(allOf(true, 'unknown')).toBe('unknown');
    expect(allOf(true, true)).toBe(true);
    expect(anyOf(false, 'unknown', true)).toBe(true);
    expect(anyOf(false, 'unknown')).toBe('unknown');
    expect(anyOf(false, false)).toBe(false);
  });
});

describe('coversPorts', () => {
  it.each([
    [22, [22]],
    ['20-30', [22, 23]],
    ['3380:3390', [3389]],
    ['80, 3389 ,22', [22, 3389]],
    [
      ['443', 5432, '20-22'],
      [22, 5432],
    ],
  ])('finds the wanted ports in %j', (value, ports) => {
    expect(coversPorts(value, [22, 23, 3389, 5432])).toEqual({
      covers: true,
      ports,
      allPorts: false,
      names: [],
    });
  });

  it.each([undefined, '', 'any', '*', '0-65535'])('reads %j as every port', (value) => {
    expect(coversPorts(value, [22, 80])).toEqual({
      covers: true,
      ports: [22, 80],
      allPorts: true,
      names: [],
    });
  });

  it('answers false for ports that miss, and unknown for an unknown value or an alias name', () => {
    expect(coversPorts('1000-1400', [22]).covers).toBe(false);
    expect(coversPorts(later, [22]).covers).toBe('unknown');
    expect(coversPorts('ssh_ports', [22])).toMatchObject({ covers: 'unknown', names: ['ssh_ports'] });
    // A literal match decides, even next to an entry that cannot be read.
    expect(coversPorts(['ssh_ports', 22], [22]).covers).toBe(true);
  });
});

describe('isAnyAddress', () => {
  it.each([
    undefined,
    null,
    'any',
    ' ANY ',
    '*',
    '0.0.0.0/0',
    '::/0',
    [],
    ['10.0.0.0/8', 'any'],
    { any: true },
  ])('reads %j as anywhere', (value) => {
    expect(isAnyAddress(value)).toBe(true);
  });

  it.each(['10.0.0.0/8', '203.0.113.7', 'lan_net', ['10.0.0.0/8'], { network: '192.168.1.0/24' }])(
    'reads %j as somewhere specific',
    (value) => {
      expect(isAnyAddress(value)).toBe(false);
    },
  );

  it('is unknown for a value only known after apply', () => {
    expect(isAnyAddress(unknownValue('${aws:ec2:web.privateIp}'))).toBe('unknown');
  });
});

describe('isWan', () => {
  it('matches configured names without case, in lists, and uses the default for a missing interface', () => {
    expect(isWan('WAN', ['wan'])).toBe(true);
    expect(isWan('lan, wan', ['wan'])).toBe(true);
    expect(isWan('igc0', ['wan'])).toBe(false);
    expect(isWan(undefined, ['wan'])).toBe(false);
    expect(isWan(undefined, ['wan'], true)).toBe(true);
    expect(isWan(later, ['wan'])).toBe('unknown');
  });
});

describe('portRange', () => {
  it('reads AWS from/to ports', () => {
    expect(portRange({ fromPort: 5432, toPort: 5432 })).toBe('5432-5432');
    expect(portRange({ from_port: 8000, to_port: 8100 })).toBe('8000-8100');
    expect(portRange({ fromPort: -1, toPort: -1 })).toBe('any');
    expect(portRange({ fromPort: 0, toPort: 65535 })).toBe('any');
    expect(portRange({ port: 22 })).toBe(22);
  });
});
