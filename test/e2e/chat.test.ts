// `conductor chat` as a person uses it: the compiled CLI in a real pseudo-terminal on the built-in sandbox with the
// offline model. A request, a clarifying answer, approval with the arrow keys and Enter, live apply, a follow-up
// change, a query, a destroy, and the history kept for the next session.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bin, CliProject, held } from '../support/cli-project.js';
import { KEYS, TerminalSession } from '../support/terminal-session.js';

const PROMPT = 'conductor> ';

describe('conductor chat in a terminal', () => {
  let project: CliProject;
  let chat: TerminalSession;

  beforeAll(() => {
    project = new CliProject('conductor-chat');
    chat = new TerminalSession([process.execPath, bin, 'chat'], {
      cwd: project.directory,
      env: { ...process.env, NO_COLOR: '1', CONDUCTOR_HOME: project.home, ANTHROPIC_API_KEY: '' },
    });
  });

  afterAll(() => chat.kill());

  it('starts on the sandbox and says which model understands requests', async () => {
    const banner = await chat.waitFor(PROMPT);
    expect(banner).toContain('Sandbox mode');
    expect(banner).toContain('offline parser');
  }, 60_000);

  it('asks for what the request left out, shows the plan and applies it when approved', async () => {
    chat.line('deploy a game server for 10 players');
    await chat.waitFor(/What game should game-server use\?.*\n?.*minecraft/);
    chat.line('minecraft');
    await chat.waitFor('docker:container:minecraft');
    await chat.waitFor('Apply "minecraft"?');
    chat.type(KEYS.enter);
    await chat.waitFor('Apply complete');
    const summary = await chat.waitFor(PROMPT);
    expect(summary).toContain('minecraft now has');
    expect(summary).toMatch(/ipAddress 10\.20\.0\.\d+/);
    expect(held(project.inventory())).toHaveProperty(['docker:container:minecraft']);
  }, 90_000);

  it('changes the deployment with a follow-up and shows the new diff first', async () => {
    chat.line('make it 8 GB');
    const review = await chat.waitFor('Apply "minecraft"?');
    expect(review).toContain('memoryGb');
    expect(review).toMatch(/~|-\/\+/);
    expect(review).toContain('docker:container:minecraft');
    chat.type(KEYS.enter);
    await chat.waitFor('Apply complete');
    await chat.waitFor(PROMPT);
    const container = project
      .inventory()
      .servers.find((server) => server.name === 'docker')!
      .resources.find((resource) => resource.type === 'container')!;
    expect(String(container.properties.memory)).toMatch(/^8/);
  }, 90_000);

  it('answers a question from state', async () => {
    chat.line('what runs on VLAN 20?');
    const answer = await chat.waitFor(PROMPT);
    expect(answer).toContain('minecraft');
  }, 60_000);

  it('keeps a plan for later, then cancels a destroy without changing anything', async () => {
    chat.line('tear down minecraft');
    await chat.waitFor('Destroy "minecraft"?');
    // Down three times: Change something, Not now, Cancel.
    chat.type(`${KEYS.down}${KEYS.down}${KEYS.down}${KEYS.enter}`);
    await chat.waitFor('Cancelled: nothing was changed.');
    await chat.waitFor(PROMPT);
    expect(held(project.inventory())).toHaveProperty(['docker:container:minecraft']);
  }, 60_000);

  it('destroys on approval and leaves the sandbox empty', async () => {
    chat.line('tear down minecraft');
    await chat.waitFor('Destroy "minecraft"?');
    chat.type(KEYS.enter);
    await chat.waitFor('complete');
    await chat.waitFor(PROMPT);
    expect(held(project.inventory())).toEqual({});
  }, 90_000);

  it('leaves with /exit, keeps the history and records every decision in the audit log', async () => {
    chat.line('/exit');
    await chat.waitFor('Bye.');
    expect(await chat.exited).toBe(0);
    const history = readFileSync(join(project.home, 'chat_history'), 'utf8');
    expect(history).toContain('deploy a game server for 10 players');
    expect(history).toContain('make it 8 GB');
    const audit = readFileSync(join(project.home, 'audit.log'), 'utf8')
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as { command: string; approval: string; result: string });
    expect(audit.map((entry) => [entry.approval, entry.result])).toEqual([
      ['approved', 'succeeded'],
      ['approved', 'succeeded'],
      ['not-asked', 'answered'],
      ['declined', 'cancelled'],
      ['approved', 'succeeded'],
    ]);
    expect(existsSync(project.stateFile)).toBe(true);
  }, 30_000);
});
