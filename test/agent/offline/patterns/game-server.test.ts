import { describe, expect, it } from 'vitest';
import { expectDeploy, parse } from '../parse.js';

describe('game-server', () => {
  it('reads the catalog example', () => {
    expectDeploy('deploy a Minecraft server for 10 players on VLAN 20', {
      pattern: 'game-server',
      params: { game: 'minecraft', players: 10, vlanTag: 20, public: true, hostname: 'minecraft.home.arpa' },
    });
  });

  it('takes terse requests', () => {
    expectDeploy('minecraft, 8 players', {
      pattern: 'game-server',
      params: { game: 'minecraft', players: 8 },
    });
    expectDeploy('valheim vlan 22', { pattern: 'game-server', params: { game: 'valheim', vlanTag: 22 } });
  });

  it('takes chatty requests', () => {
    expectDeploy(
      "hey! so my friends and I want to play Terraria this weekend, could you get a server going for like 6 people? we'd want it on vlan 33",
      { pattern: 'game-server', params: { game: 'terraria', players: 6, vlanTag: 33 } },
    );
  });

  it('reads numbers written as words', () => {
    expectDeploy('a factorio server for twelve players', {
      pattern: 'game-server',
      params: { game: 'factorio', players: 12 },
    });
    expectDeploy('minecraft for a dozen players on vlan twenty five', {
      pattern: 'game-server',
      params: { game: 'minecraft', players: 12, vlanTag: 25 },
    });
  });

  it('counts the user with their friends', () => {
    expectDeploy('set up a valheim server for me and 4 friends', {
      pattern: 'game-server',
      params: { game: 'valheim', players: 5 },
    });
    expectDeploy('satisfactory server for me and three mates', {
      pattern: 'game-server',
      params: { game: 'satisfactory', players: 4 },
    });
    expectDeploy('a terraria server for my son and his 3 friends', {
      pattern: 'game-server',
      params: { players: 4 },
    });
    expectDeploy('valheim, there are 6 of us', { pattern: 'game-server', params: { players: 6 } });
  });

  it('reads memory in its units', () => {
    expectDeploy('spin up terraria for 8 players with 4 GB of RAM', {
      pattern: 'game-server',
      params: { game: 'terraria', players: 8, memoryGb: 4 },
    });
    expectDeploy('minecraft server with 16 gigs', {
      pattern: 'game-server',
      params: { game: 'minecraft', memoryGb: 16 },
    });
    expectDeploy('valheim, 12GB memory, 10 slots', {
      pattern: 'game-server',
      params: { game: 'valheim', memoryGb: 12, players: 10 },
    });
  });

  it('derives memory from the game and players when not given', () => {
    const intent = expectDeploy('minecraft for 20 players', {
      pattern: 'game-server',
      params: { players: 20 },
    });
    expect(intent.params?.memoryGb).toBe(6);
  });

  it('reads private and public from phrases', () => {
    expectDeploy('I want a private factorio server, LAN only', {
      pattern: 'game-server',
      params: { game: 'factorio', public: false },
    });
    expectDeploy('minecraft server that is not public', {
      pattern: 'game-server',
      params: { public: false },
    });
    expectDeploy('valheim for 5 people, it should only be reachable on my lan', {
      pattern: 'game-server',
      params: { public: false },
    });
    expectDeploy('Can I get a Minecraft server? Keep it off the internet.', {
      pattern: 'game-server',
      params: { public: false },
    });
    expectDeploy('a minecraft server my friends can join from the internet', {
      pattern: 'game-server',
      params: { public: true },
    });
  });

  it('tolerates typos in the game and the counted noun', () => {
    expectDeploy('minecarft server for 10 plaeyrs', {
      pattern: 'game-server',
      params: { game: 'minecraft', players: 10 },
    });
    expectDeploy('valhiem server', { pattern: 'game-server', params: { game: 'valheim' } });
  });

  it('reads parameters in any order', () => {
    expectDeploy('on vlan 40, for 4 players, terraria please', {
      pattern: 'game-server',
      params: { game: 'terraria', vlanTag: 40, players: 4 },
    });
  });

  it('takes a hostname', () => {
    expectDeploy('factorio server at factorio.example.com', {
      pattern: 'game-server',
      params: { game: 'factorio', hostname: 'factorio.example.com' },
    });
  });

  it('does not guess the game', () => {
    expectDeploy('a game server for 6 players', {
      pattern: 'game-server',
      params: { players: 6, vlanTag: 20, public: true },
      missing: ['game'],
    });
  });

  it('keeps a VLAN tag out of the player count', () => {
    const intent = parse('minecraft on vlan 30');
    expect(intent.params?.vlanTag).toBe(30);
    expect(intent.params?.players).toBe(10);
  });

  it('leaves out a count the schema refuses, with a note', () => {
    const intent = parse('a minecraft server for 500 players');
    expect(intent.params?.players).toBe(10);
    expect(intent.notes?.join(' ')).toMatch(/500/);
  });
});
