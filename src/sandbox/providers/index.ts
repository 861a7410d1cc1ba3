// The simulated providers by name.
import type { SandboxProviderName } from '../server-command.js';
import type { SandboxProvider } from '../type-spec.js';
import { awsProvider } from './aws.js';
import { certsProvider } from './certs.js';
import { dnsProvider } from './dns.js';
import { dockerProvider } from './docker.js';
import { opnsenseProvider } from './opnsense.js';
import { proxmoxProvider } from './proxmox.js';

const PROVIDERS: Readonly<Record<SandboxProviderName, SandboxProvider>> = {
  opnsense: opnsenseProvider,
  docker: dockerProvider,
  dns: dnsProvider,
  certs: certsProvider,
  proxmox: proxmoxProvider,
  aws: awsProvider,
};

export function sandboxProvider(name: SandboxProviderName): SandboxProvider {
  return PROVIDERS[name];
}
