import { describe, it } from 'vitest';
import { expectDeploy } from '../parse.js';

describe('expose-service', () => {
  it('reads the catalog examples', () => {
    expectDeploy('expose 192.168.1.50:8123 as ha.example.com', {
      pattern: 'expose-service',
      params: {
        hostname: 'ha.example.com',
        targetHost: '192.168.1.50',
        targetPort: 8123,
        tls: true,
        public: true,
      },
    });
    expectDeploy('make my nas at 10.0.0.20 port 5000 reachable at nas.example.org', {
      pattern: 'expose-service',
      params: { hostname: 'nas.example.org', targetHost: '10.0.0.20', targetPort: 5000 },
    });
    expectDeploy('publish grafana on 10.0.0.5:3000 as grafana.home.arpa, internal only, no tls', {
      pattern: 'expose-service',
      params: {
        hostname: 'grafana.home.arpa',
        targetHost: '10.0.0.5',
        targetPort: 3000,
        tls: false,
        public: false,
      },
    });
  });

  it('takes a host name as the target', () => {
    expectDeploy('reverse proxy nas.lan:5000 to files.example.org', {
      pattern: 'expose-service',
      params: { targetHost: 'nas.lan', targetPort: 5000, hostname: 'files.example.org' },
    });
  });

  it('lists what is missing instead of guessing', () => {
    expectDeploy('expose my printer at 10.0.0.9', {
      pattern: 'expose-service',
      params: { targetHost: '10.0.0.9' },
      missing: ['hostname', 'targetPort'],
    });
  });
});
