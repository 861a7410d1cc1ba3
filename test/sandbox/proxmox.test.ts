// The simulated Proxmox node: VMIDs, memory and disk against the node, addresses from the bridge or VLAN.
import { describe, expect, it } from 'vitest';
import { openTestEngine, refusal } from './support.js';

describe('vm and lxc', () => {
  it('allocates VMIDs from 100 across VMs and containers and refuses a taken one', async () => {
    const { engine, create } = await openTestEngine('proxmox');
    const vm = await create('vm', 'web', { memory: 4096, cores: 2 });
    const container = await create('lxc', 'dns', {
      ostemplate: 'local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst',
    });
    expect([vm.id, vm.vmid, container.id, container.vmid]).toEqual(['qemu/100', 100, 'lxc/101', 101]);
    expect(String(vm.macAddress)).toMatch(/^BC:24:11(:[0-9A-F]{2}){3}$/);
    const taken = await refusal(
      () => engine.create({ type: 'vm', name: 'other', properties: { vmid: 101 } }),
      'conflict',
    );
    expect(taken.message).toContain('VM 101 already exists');
  });

  it('hands out addresses like DHCP on the bridge and from 10.<tag>.0.0/24 on a VLAN', async () => {
    const { engine, create } = await openTestEngine('proxmox');
    expect((await create('vm', 'a', {})).ipAddress).toBe('192.168.1.100');
    expect((await create('vm', 'b', { vlan: 20 })).ipAddress).toBe('10.20.0.100');
    expect(
      (await create('vm', 'c', { vlan: 20, ipAddress: '10.20.0.5/24', gateway: '10.20.0.1' })).ipAddress,
    ).toBe('10.20.0.5');
    await refusal(
      () => engine.create({ type: 'vm', name: 'd', properties: { vlan: 20, ipAddress: '10.20.0.5/24' } }),
      'conflict',
    );
    await refusal(
      () => engine.create({ type: 'vm', name: 'e', properties: { vlan: 20, ipAddress: '10.30.0.5/24' } }),
      'invalid-properties',
    );
  });

  it("checks running guests' memory and disks against the node", async () => {
    const { engine, create } = await openTestEngine('proxmox');
    await create('vm', 'big', { memory: '48g', cores: 8 });
    const memory = await refusal(
      () => engine.create({ type: 'vm', name: 'more', properties: { memory: '20g' } }),
      'capacity',
    );
    expect(memory.message).toContain('48 GiB of 64 GiB are used by running guests');
    await create('vm', 'stopped', { memory: '20g', start: false });
    await refusal(() => engine.create({ type: 'vm', name: 'cores', properties: { cores: 32 } }), 'capacity');
    await refusal(() => engine.create({ type: 'vm', name: 'disk', properties: { disk: 2000 } }), 'capacity');
    await refusal(
      () => engine.create({ type: 'lxc', name: 'bad', properties: { ostemplate: 'debian.iso' } }),
      'invalid-properties',
    );
  });

  it('clones only templates and keeps a template while clones use it', async () => {
    const { engine, create } = await openTestEngine('proxmox');
    const template = await create('vm', 'debian-template', { template: true });
    expect(template.status).toBe('template');
    await create('vm', 'web', { clone: 'debian-template' });
    await refusal(
      () => engine.create({ type: 'vm', name: 'x', properties: { clone: 'web' } }),
      'invalid-properties',
    );
    await refusal(
      () => engine.create({ type: 'vm', name: 'y', properties: { clone: 'nothing' } }),
      'missing-dependency',
    );
    await refusal(() => engine.delete({ type: 'vm', id: String(template.id) }), 'conflict');
  });
});
