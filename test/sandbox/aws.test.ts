// The simulated AWS account: ids and ARNs shaped like AWS's, addresses from the subnet, the vCPU quota, and the
// dependency rules AWS enforces.
import { describe, expect, it } from 'vitest';
import { AWS_DEFAULT_SUBNETS } from '../../src/sandbox/providers/aws.js';
import { openTestEngine, refusal } from './support.js';

describe('vpc:subnet', () => {
  it('validates the CIDR: aligned, /16-/28, inside the VPC, not overlapping', async () => {
    const { engine, create } = await openTestEngine('aws');
    const subnet = await create('vpc:subnet', 'private-1', {
      cidrBlock: '10.0.1.0/24',
      availabilityZone: 'us-east-1b',
    });
    expect(String(subnet.id)).toMatch(/^subnet-0[0-9a-f]{16}$/);
    expect(subnet).toMatchObject({
      cidrBlock: '10.0.1.0/24',
      availabilityZone: 'us-east-1b',
      arn: `arn:aws:ec2:us-east-1:123456789012:subnet/${subnet.id}`,
    });
    const cases: [Record<string, unknown>, string, string][] = [
      [{ cidrBlock: '10.0.1.5/24' }, 'invalid-properties', 'host bits set'],
      [{ cidrBlock: '10.0.0.0/30' }, 'invalid-properties', '/16 to /28'],
      [{ cidrBlock: '192.168.0.0/24' }, 'invalid-properties', 'inside 10.0.0.0/16'],
      [{ cidrBlock: '10.0.1.128/25' }, 'conflict', 'subnet "private-1"'],
      [{ cidrBlock: '10.0.0.0/23' }, 'conflict', 'default subnet'],
      [{ cidrBlock: '10.0.300.0/24' }, 'invalid-properties', 'not an IPv4 address'],
    ];
    for (const [properties, code, message] of cases) {
      const error = await refusal(
        () => engine.create({ type: 'vpc:subnet', name: 'x', properties }),
        code as 'conflict',
      );
      expect(error.message).toContain(message);
    }
  });
});

describe('ec2:instance', () => {
  it('gets a private IP from its subnet, after the four reserved addresses', async () => {
    const { create } = await openTestEngine('aws');
    await create('vpc:subnet', 'private-1', { cidrBlock: '10.0.1.0/24' });
    const first = await create('ec2:instance', 'app-1', { instanceType: 't3.medium', subnet: 'private-1' });
    const second = await create('ec2:instance', 'app-2', {
      instanceType: 't3.medium',
      subnetId: String(first.subnetId),
    });
    expect(String(first.id)).toMatch(/^i-0[0-9a-f]{16}$/);
    expect([first.privateIp, second.privateIp]).toEqual(['10.0.1.4', '10.0.1.5']);
    expect(first).toMatchObject({
      privateDnsName: 'ip-10-0-1-4.ec2.internal',
      publicIp: null,
      state: 'running',
      vpcId: expect.stringMatching(/^vpc-/),
    });
  });

  it('lands in the default subnet with a public address when no subnet is given', async () => {
    const { create } = await openTestEngine('aws');
    const instance = await create('ec2:instance', 'web-server', { instanceType: 't3.micro' });
    expect(instance).toMatchObject({
      subnetId: AWS_DEFAULT_SUBNETS[0]!.id,
      privateIp: '10.0.0.4',
      publicIp: '198.51.100.1',
    });
    expect(instance.publicDnsName).toBe('ec2-198-51-100-1.compute-1.amazonaws.com');
  });

  it('refuses a taken or reserved fixed address, an unknown subnet or type, and more vCPUs than the quota', async () => {
    const { engine, create } = await openTestEngine('aws');
    await create('ec2:instance', 'a', { instanceType: 't3.micro', privateIp: '10.0.0.10' });
    await refusal(
      () =>
        engine.create({
          type: 'ec2:instance',
          name: 'b',
          properties: { instanceType: 't3.micro', privateIp: '10.0.0.10' },
        }),
      'conflict',
    );
    await refusal(
      () =>
        engine.create({
          type: 'ec2:instance',
          name: 'b',
          properties: { instanceType: 't3.micro', privateIp: '10.0.0.2' },
        }),
      'invalid-properties',
    );
    await refusal(
      () =>
        engine.create({
          type: 'ec2:instance',
          name: 'b',
          properties: { instanceType: 't3.micro', subnet: 'subnet-0123' },
        }),
      'missing-dependency',
    );
    const type = await refusal(
      () => engine.create({ type: 'ec2:instance', name: 'b', properties: { instanceType: 't9.huge' } }),
      'invalid-properties',
    );
    expect(type.message).toContain('t3.micro');
    await create('ec2:instance', 'big-1', { instanceType: 't3.2xlarge' });
    await create('ec2:instance', 'big-2', { instanceType: 't3.2xlarge' });
    await create('ec2:instance', 'big-3', { instanceType: 't3.2xlarge' });
    const quota = await refusal(
      () =>
        engine.create({ type: 'ec2:instance', name: 'big-4', properties: { instanceType: 't3.2xlarge' } }),
      'capacity',
    );
    expect(quota.message).toContain(
      "VcpuLimitExceeded: this needs 8 vCPUs and 26 of the account's 32 are in use",
    );
  });

  it('keeps a subnet and security group while an instance uses them', async () => {
    const { engine, create } = await openTestEngine('aws');
    const subnet = await create('vpc:subnet', 'private-1', { cidrBlock: '10.0.1.0/24' });
    const group = await create('ec2:securityGroup', 'app', {
      ingress: [{ protocol: 'tcp', port: 443, cidrBlocks: ['0.0.0.0/0'] }],
    });
    expect(String(group.id)).toMatch(/^sg-0[0-9a-f]{16}$/);
    const instance = await create('ec2:instance', 'app-1', {
      instanceType: 't3.micro',
      subnet: String(subnet.id),
      securityGroups: [String(group.id)],
    });
    await refusal(() => engine.delete({ type: 'vpc:subnet', id: String(subnet.id) }), 'conflict');
    await refusal(() => engine.delete({ type: 'ec2:securityGroup', id: String(group.id) }), 'conflict');
    await engine.delete({ type: 'ec2:instance', id: String(instance.id) });
    await engine.delete({ type: 'vpc:subnet', id: String(subnet.id) });
  });
});

describe('security groups and launch templates', () => {
  it('refuses duplicate rules, rules without a source and user data that is not base64', async () => {
    const { engine, create } = await openTestEngine('aws');
    await refusal(
      () =>
        engine.create({
          type: 'ec2:securityGroup',
          name: 'x',
          properties: {
            ingress: [
              { protocol: 'tcp', port: 22, cidr: '10.0.0.0/16' },
              { protocol: 'tcp', fromPort: 22, toPort: 22, cidrBlocks: ['10.0.0.0/16'] },
            ],
          },
        }),
      'conflict',
    );
    await refusal(
      () =>
        engine.create({
          type: 'ec2:securityGroup',
          name: 'x',
          properties: { ingress: [{ protocol: 'tcp', port: 22 }] },
        }),
      'invalid-properties',
    );
    await refusal(
      () => engine.create({ type: 'ec2:securityGroup', name: 'default', properties: {} }),
      'name-taken',
    );
    const userData = await refusal(
      () =>
        engine.create({
          type: 'ec2:launchTemplate',
          name: 'tpl',
          properties: { userData: '#!/bin/bash\necho hi' },
        }),
      'invalid-properties',
    );
    expect(userData.message).toContain('Invalid BASE64 encoding of user data');
    await refusal(
      () => engine.create({ type: 'ec2:launchTemplate', name: 'lt', properties: {} }),
      'invalid-properties',
    );
    const template = await create('ec2:launchTemplate', 'tpl', {
      imageId: 'ami-12345678',
      instanceType: 't3.micro',
    });
    expect(template).toMatchObject({ latestVersion: 1, launchTemplateId: template.id });
    const updated = await engine.update({
      type: 'ec2:launchTemplate',
      id: String(template.id),
      properties: { imageId: 'ami-12345678', instanceType: 't3.small' },
    });
    expect(updated.outputs.latestVersion).toBe(2);
  });
});

describe('autoscaling:group', () => {
  it('launches desired instances across its subnets, scales, and counts against the quota', async () => {
    const { engine, create } = await openTestEngine('aws');
    await create('ec2:launchTemplate', 'tpl', { imageId: 'ami-12345678', instanceType: 't3.micro' });
    const group = await create('autoscaling:group', 'web', {
      minSize: 2,
      maxSize: 10,
      launchTemplate: 'tpl',
    });
    expect(String(group.id)).toMatch(
      /^arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:[0-9a-f-]{36}:autoScalingGroupName\/web$/,
    );
    expect(group.instanceIps).toEqual(['10.0.0.4', '10.0.128.4']);
    expect(group.availabilityZones).toEqual(['us-east-1a', 'us-east-1b']);
    const scaled = await engine.update({
      type: 'autoscaling:group',
      id: String(group.id),
      properties: { minSize: 2, maxSize: 10, desiredCapacity: 4, launchTemplate: 'tpl' },
    });
    expect(scaled.outputs.instanceIps).toEqual(['10.0.0.4', '10.0.128.4', '10.0.0.5', '10.0.128.5']);
    expect((scaled.outputs.instanceIds as string[]).slice(0, 2)).toEqual(group.instanceIds);
    // A standalone instance gets the next free address, not one the group holds.
    expect((await create('ec2:instance', 'one', { instanceType: 't3.micro' })).privateIp).toBe('10.0.0.6');
    await refusal(
      () =>
        engine.create({
          type: 'autoscaling:group',
          name: 'x',
          properties: { minSize: 3, maxSize: 2, launchTemplate: 'tpl' },
        }),
      'invalid-properties',
    );
    await refusal(
      () =>
        engine.create({
          type: 'autoscaling:group',
          name: 'x',
          properties: { minSize: 12, maxSize: 12, launchTemplate: 'tpl' },
        }),
      'capacity',
    );
    await refusal(
      () =>
        engine.create({
          type: 'autoscaling:group',
          name: 'x',
          properties: { minSize: 1, maxSize: 2, launchTemplate: 'lt-0nope' },
        }),
      'missing-dependency',
    );
  });
});

describe('load balancing', () => {
  it('builds ARNs and a DNS name, needs an issued certificate for HTTPS, and gives a target group to one balancer', async () => {
    const { engine, create } = await openTestEngine('aws');
    const certificate = await create('acm:certificate', 'cert', {
      domainName: 'test.example.com',
      validationMethod: 'DNS',
    });
    expect(String(certificate.arn)).toMatch(
      /^arn:aws:acm:us-east-1:123456789012:certificate\/[0-9a-f-]{36}$/,
    );
    expect(certificate.status).toBe('ISSUED');
    const group = await create('elb:targetGroup', 'web-tg', {
      port: 8080,
      protocol: 'HTTP',
      healthCheck: { path: '/health' },
    });
    expect(String(group.arn)).toMatch(
      /^arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup\/web-tg\/[0-9a-f]{16}$/,
    );
    const balancer = await create('elb:loadBalancer', 'web', {
      listeners: [
        {
          port: 443,
          protocol: 'HTTPS',
          certificateArn: String(certificate.arn),
          targetGroupArn: String(group.arn),
        },
      ],
    });
    expect(String(balancer.arn)).toMatch(
      /^arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer\/app\/web\/[0-9a-f]{16}$/,
    );
    expect(String(balancer.dnsName)).toMatch(/^web-\d{1,10}\.us-east-1\.elb\.amazonaws\.com$/);
    expect(balancer.privateIps).toEqual(['10.0.0.4', '10.0.128.4']);
    await refusal(
      () =>
        engine.create({ type: 'elb:loadBalancer', name: 'web2', properties: { targetGroupArn: 'web-tg' } }),
      'conflict',
    );
    await refusal(
      () =>
        engine.create({
          type: 'elb:loadBalancer',
          name: 'web3',
          properties: { listeners: [{ port: 443, protocol: 'HTTPS' }] },
        }),
      'invalid-properties',
    );
    await refusal(
      () =>
        engine.create({
          type: 'elb:loadBalancer',
          name: 'one-zone',
          properties: { subnets: [AWS_DEFAULT_SUBNETS[0]!.id] },
        }),
      'invalid-properties',
    );
    await refusal(() => engine.delete({ type: 'acm:certificate', id: String(certificate.id) }), 'conflict');
    await refusal(() => engine.delete({ type: 'elb:targetGroup', id: String(group.id) }), 'conflict');
    await refusal(
      () =>
        engine.create({
          type: 'elb:targetGroup',
          name: 'a-name-that-is-far-too-long-for-elb',
          properties: { port: 80, protocol: 'HTTP' },
        }),
      'invalid-properties',
    );
  });

  it('issues ACM certificates for public names only', async () => {
    const { engine, create } = await openTestEngine('aws');
    const certificate = await create('acm:certificate', 'wild', { domain: '*.example.com' });
    expect(certificate.domainValidationOptions).toEqual([
      expect.objectContaining({
        domainName: '*.example.com',
        resourceRecord: expect.objectContaining({ type: 'CNAME' }),
      }),
    ]);
    await refusal(
      () =>
        engine.create({ type: 'acm:certificate', name: 'lan', properties: { domainName: 'nas.home.arpa' } }),
      'invalid-properties',
    );
  });
});
