// A load-balanced web application: instances behind HAProxy (docker) or an ALB with an autoscaling group (aws), a TLS
// certificate, DNS and the firewall rules to reach it.
import { z } from 'zod';
import { definePattern } from '../src/agent/pattern.js';

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
    appName: { words: ['app', 'application', 'called', 'named', 'service'], format: 'name' },
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
  generate: () => {
    throw new Error('web-app: generate is not written yet');
  },
});
