// Publishing an HTTP service through HAProxy on OPNsense: a backend with the real servers, a frontend on 443 with a
// certificate (or on 80 without TLS), and, when the service is public, the WAN rule that lets the internet reach the
// frontend. The frontend listens on the firewall itself, so the rule's destination is the WAN address (`wanip`).
import { isPublicDomain } from './names.js';
import type { PatternResource } from './network.js';

export interface PublishOptions {
  /** Resource names start with it: `<prefix>-backend`, `<prefix>-frontend`, `<prefix>-cert`, `<prefix>-https`. */
  prefix: string;
  /** The fully qualified name clients use; the certificate is issued for it. */
  hostname: string;
  /** Real servers as `address:port`; addresses may be references. */
  servers: string[];
  /** Path HAProxy checks on each server; no check when absent. */
  healthPath?: string;
  tls: boolean;
  /** Open the frontend's port on the WAN. */
  public: boolean;
  /** What is published, for descriptions: "shop web app". */
  purpose: string;
  balance?: 'roundrobin' | 'leastconn' | 'source';
}

export interface Published {
  resources: PatternResource[];
  frontendName: string;
  /** `${opnsense:service:haproxy:frontend:<prefix>-frontend.bindAddress}`: where clients connect. */
  frontendAddress: string;
  port: number;
}

export function publishThroughHaproxy(options: PublishOptions): Published {
  const backendName = `${options.prefix}-backend`;
  const frontendName = `${options.prefix}-frontend`;
  const certificateName = `${options.prefix}-cert`;
  const port = options.tls ? 443 : 80;
  const resources: PatternResource[] = [
    {
      server: 'opnsense',
      type: 'service:haproxy:backend',
      name: backendName,
      properties: {
        mode: 'http',
        balance: options.balance ?? 'roundrobin',
        servers: options.servers,
        ...(options.healthPath
          ? { httpCheck: { uri: options.healthPath, version: 'HTTP/1.1', expectStatus: 200 } }
          : {}),
        description: `${options.purpose}: servers`,
      },
    },
  ];
  if (options.tls) {
    // Let's Encrypt validates over HTTP from the internet: only for public names the internet can reach.
    const acme = options.public && isPublicDomain(options.hostname);
    resources.push({
      server: 'certs',
      type: 'certificate',
      name: certificateName,
      properties: acme
        ? { domains: [options.hostname], issuer: 'letsencrypt', challenge: 'http-01', keyType: 'ec256' }
        : { domains: [options.hostname], issuer: 'internal', keyType: 'ec256' },
    });
  }
  resources.push({
    server: 'opnsense',
    type: 'service:haproxy:frontend',
    name: frontendName,
    properties: {
      bind: `0.0.0.0:${port}`,
      mode: 'http',
      defaultBackend: backendName,
      ...(options.tls ? { sslCertificate: `\${certs:certificate:${certificateName}.id}` } : {}),
      forwardFor: true,
      description: `${options.purpose}: ${options.tls ? 'https' : 'http'}://${options.hostname}`,
    },
    dependsOn: [backendName],
  });
  if (options.public) {
    resources.push({
      server: 'opnsense',
      type: 'firewall:rule',
      name: `${options.prefix}-${options.tls ? 'https' : 'http'}`,
      properties: {
        interface: 'wan',
        action: 'pass',
        protocol: 'tcp',
        source: 'any',
        destination: 'wanip',
        destinationPort: port,
        description: `${options.purpose} from the internet (${options.tls ? 'HTTPS' : 'HTTP'})`,
      },
      dependsOn: [frontendName],
    });
  }
  return {
    resources,
    frontendName,
    frontendAddress: `\${opnsense:service:haproxy:frontend:${frontendName}.bindAddress}`,
    port,
  };
}
