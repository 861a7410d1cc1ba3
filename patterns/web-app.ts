// A load-balanced web application: instances behind HAProxy (docker) or an ALB with an autoscaling group (aws), a TLS
// certificate, DNS and the firewall rules to reach it.
import { z } from 'zod';
import { definePattern, type PatternDeployment } from '../src/agent/pattern.js';
import { fullyQualified, limitedName, slug } from './parts/names.js';
import { containerAddress, dnsRecord, type PatternResource, vlanNetwork } from './parts/network.js';
import { publishThroughHaproxy } from './parts/publish.js';

export default definePattern({
  name: 'web-app',
  description:
    'A load-balanced web application: several instances of a container image behind a load balancer with TLS, health checks and a DNS name, on Docker (HAProxy on OPNsense) or AWS (ALB and autoscaling group).',
  examples: [
    'deploy my shop app at shop.example.com',
    'run ghcr.io/acme/api:2.1 as "api" on api.example.com with 3 instances',
    'set up a load balanced web app called blog for blog.example.org on aws',
  ],
  keywords: [
    'web app',
    'webapp',
    'website',
    'site',
    'web service',
    'api',
    'load balanced',
    'load balancer',
    'frontend',
  ],
  params: z.object({
    appName: z.string().min(1).max(40).describe('Short name of the application.'),
    domain: z.string().min(3).describe('The domain the app is served on, e.g. shop.example.com.'),
    image: z.string().optional().describe('Container image; <appName>:latest when not given.'),
    minInstances: z.number().int().min(1).max(50).default(2).describe('Instances that always run.'),
    maxInstances: z
      .number()
      .int()
      .min(1)
      .max(100)
      .optional()
      .describe('Most instances when scaling; max(minInstances, 4) when not given.'),
    port: z
      .number()
      .int()
      .min(1)
      .max(65535)
      .default(8080)
      .describe('Port the app listens on inside the container.'),
    healthPath: z.string().default('/health').describe('HTTP path the load balancer checks.'),
    vlanTag: z.number().int().min(1).max(4094).default(100).describe('VLAN tag of the app network.'),
    platform: z.enum(['docker', 'aws']).default('docker').describe('Where the instances run.'),
  }),
  hints: {
    appName: { words: ['app', 'application', 'called', 'named', 'service', 'as'], format: 'name' },
    domain: { words: ['at', 'on', 'domain'], format: 'domain' },
    image: { words: ['image'], format: 'image' },
    minInstances: {
      words: ['instances', 'replicas', 'copies', 'containers', 'minimum', 'min'],
      format: 'count',
    },
    maxInstances: { words: ['max', 'maximum', 'up to', 'scale to'], format: 'count' },
    port: { words: ['port', 'listens on'], format: 'port' },
    healthPath: { words: ['health', 'health check'], format: 'text' },
    vlanTag: { words: ['vlan'], format: 'vlan' },
    platform: {
      synonyms: {
        docker: ['docker', 'containers', 'home lab', 'homelab'],
        aws: ['aws', 'amazon', 'ec2', 'cloud'],
      },
    },
  },
  derive: (params) => ({
    ...params,
    image: params.image ?? `${params.appName}:latest`,
    maxInstances: params.maxInstances ?? Math.max(params.minInstances, 4),
  }),
  generate: (params) => generateWebApp(params),
});

interface WebAppParams {
  appName: string;
  domain: string;
  image?: string;
  minInstances: number;
  maxInstances?: number;
  port: number;
  healthPath: string;
  vlanTag: number;
  platform: 'docker' | 'aws';
}

function generateWebApp(params: WebAppParams): PatternDeployment {
  const name = `web-${slug(params.appName)}`;
  const settings = {
    ...params,
    domain: fullyQualified(params.domain),
    // The derived default is `<appName>:latest`; an app name with capitals or spaces is no image name, its slug is.
    image:
      params.image === undefined || params.image === `${params.appName}:latest`
        ? `${slug(params.appName)}:latest`
        : params.image,
    maxInstances: Math.max(params.maxInstances ?? Math.max(params.minInstances, 4), params.minInstances),
    healthPath: params.healthPath.startsWith('/') ? params.healthPath : `/${params.healthPath}`,
  };
  const resources = params.platform === 'aws' ? onAws(name, settings) : onDocker(name, settings);
  return {
    name,
    description: `${params.appName} at https://${settings.domain}: ${params.minInstances} to ${settings.maxInstances} instances of ${settings.image} on ${params.platform === 'aws' ? 'AWS' : `Docker, VLAN ${params.vlanTag}`}`,
    resources,
  };
}

type WebAppSettings = WebAppParams & { domain: string; image: string; maxInstances: number };

/** Host numbers of the instances on the app's VLAN: .11, .12, ... */
const FIRST_INSTANCE_HOST = 11;

/**
 * On the home lab: the app's own VLAN with a Docker network on it, minInstances containers with fixed addresses, and
 * HAProxy on the firewall terminating TLS in front of them. Docker has no autoscaling, so maxInstances is only
 * recorded in the description.
 */
function onDocker(name: string, settings: WebAppSettings): PatternResource[] {
  const network = vlanNetwork({
    prefix: name,
    tag: settings.vlanTag,
    purpose: `${settings.appName} web app`,
    docker: true,
  });
  const containers: PatternResource[] = [];
  for (let index = 1; index <= settings.minInstances; index++) {
    containers.push({
      server: 'docker',
      type: 'container',
      name: `${name}-${index}`,
      properties: {
        image: settings.image,
        network: network.dockerNetwork,
        ipAddress: network.subnet.host(FIRST_INSTANCE_HOST + index - 1),
        ports: [`${settings.port}:${settings.port}/tcp`],
        env: { PORT: settings.port },
        restart: 'unless-stopped',
      },
      dependsOn: [network.dockerNetwork!],
    });
  }
  const published = publishThroughHaproxy({
    prefix: name,
    hostname: settings.domain,
    servers: containers.map((container) => `${containerAddress(container.name)}:${settings.port}`),
    healthPath: settings.healthPath,
    tls: true,
    public: true,
    purpose: `${settings.appName} web app`,
    balance: 'leastconn',
  });
  return [
    ...network.resources,
    ...containers,
    ...published.resources,
    dnsRecord(
      `${name}-dns`,
      settings.domain,
      published.frontendAddress,
      `${settings.appName} web app (HAProxy)`,
    ),
  ];
}

/** Instance type of the autoscaling group: 2 vCPUs, 2 GiB. */
const AWS_INSTANCE_TYPE = 't3.small';

/**
 * On AWS: two subnets in two zones (an ALB needs them), security groups that admit HTTPS from anywhere to the load
 * balancer and the app port only from the load balancer, a launch template that runs the image, an autoscaling group
 * between minInstances and maxInstances registered with a target group that checks healthPath, an HTTPS load balancer
 * with an ACM certificate, and a DNS name for it. Subnets come from the VLAN tag, so two apps do not collide.
 */
function onAws(name: string, settings: WebAppSettings): PatternResource[] {
  const block = ((settings.vlanTag - 1) % 127) + 1;
  const subnets = [
    { name: `${name}-a`, cidrBlock: `10.0.${block}.0/24`, availabilityZone: 'us-east-1a' },
    { name: `${name}-b`, cidrBlock: `10.0.${block + 128}.0/24`, availabilityZone: 'us-east-1b' },
  ];
  const subnetIds = subnets.map((subnet) => `\${aws:vpc:subnet:${subnet.name}.subnetId}`);
  const balancerGroup = `${name}-lb-sg`;
  const instanceGroup = `${name}-app-sg`;
  const template = `${name}-lt`;
  const targetGroup = limitedName(name, 'tg', 32);
  const balancer = limitedName(name, 'lb', 32);
  const certificate = `${name}-cert`;
  const tags = { app: settings.appName, deployment: name };
  const userData = Buffer.from(
    [
      '#!/bin/bash',
      'dnf install -y docker && systemctl enable --now docker',
      `docker run -d --restart unless-stopped -p ${settings.port}:${settings.port} -e PORT=${settings.port} ${settings.image}`,
      '',
    ].join('\n'),
  ).toString('base64');
  return [
    ...subnets.map(
      (subnet): PatternResource => ({
        server: 'aws',
        type: 'vpc:subnet',
        name: subnet.name,
        properties: { cidrBlock: subnet.cidrBlock, availabilityZone: subnet.availabilityZone, tags },
      }),
    ),
    {
      server: 'aws',
      type: 'ec2:securityGroup',
      name: balancerGroup,
      properties: {
        description: `${settings.appName} load balancer: HTTPS from anywhere`,
        ingress: [{ protocol: 'tcp', port: 443, cidrBlocks: ['0.0.0.0/0'], description: 'HTTPS' }],
        tags,
      },
    },
    {
      server: 'aws',
      type: 'ec2:securityGroup',
      name: instanceGroup,
      properties: {
        description: `${settings.appName} instances: the app port from the load balancer only`,
        ingress: [
          {
            protocol: 'tcp',
            port: settings.port,
            sourceSecurityGroupId: `\${aws:ec2:securityGroup:${balancerGroup}.groupId}`,
            description: 'From the load balancer',
          },
        ],
        tags,
      },
    },
    {
      server: 'aws',
      type: 'acm:certificate',
      name: certificate,
      properties: { domainName: settings.domain, validationMethod: 'DNS', tags },
    },
    {
      server: 'aws',
      type: 'ec2:launchTemplate',
      name: template,
      properties: {
        instanceType: AWS_INSTANCE_TYPE,
        userData,
        securityGroupIds: [`\${aws:ec2:securityGroup:${instanceGroup}.groupId}`],
        description: `${settings.appName}: ${settings.image} on port ${settings.port}`,
        tags,
      },
    },
    {
      server: 'aws',
      type: 'elb:targetGroup',
      name: targetGroup,
      properties: {
        port: settings.port,
        protocol: 'HTTP',
        targetType: 'instance',
        healthCheck: {
          path: settings.healthPath,
          protocol: 'HTTP',
          port: 'traffic-port',
          intervalSeconds: 15,
          healthyThresholdCount: 2,
          unhealthyThresholdCount: 3,
          matcher: '200',
        },
        tags,
      },
    },
    {
      server: 'aws',
      type: 'autoscaling:group',
      name: `${name}-asg`,
      properties: {
        minSize: settings.minInstances,
        maxSize: settings.maxInstances,
        desiredCapacity: settings.minInstances,
        launchTemplate: `\${aws:ec2:launchTemplate:${template}.id}`,
        vpcZoneIdentifier: subnetIds,
        targetGroupArns: [`\${aws:elb:targetGroup:${targetGroup}.arn}`],
        healthCheckType: 'ELB',
        healthCheckGracePeriod: 120,
        tags,
      },
    },
    {
      server: 'aws',
      type: 'elb:loadBalancer',
      name: balancer,
      properties: {
        type: 'application',
        scheme: 'internet-facing',
        subnets: subnetIds,
        securityGroups: [`\${aws:ec2:securityGroup:${balancerGroup}.groupId}`],
        listeners: [
          {
            port: 443,
            protocol: 'HTTPS',
            certificateArn: `\${aws:acm:certificate:${certificate}.arn}`,
            targetGroupArn: `\${aws:elb:targetGroup:${targetGroup}.arn}`,
            sslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
          },
        ],
        tags,
      },
    },
    {
      server: 'dns',
      type: 'record',
      name: `${name}-dns`,
      properties: {
        name: settings.domain,
        type: 'CNAME',
        value: `\${aws:elb:loadBalancer:${balancer}.dnsName}`,
        ttl: 300,
        comment: `${settings.appName} web app (AWS load balancer)`.slice(0, 100),
      },
    },
  ];
}
