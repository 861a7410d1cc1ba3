// The built-in pattern catalog, in the order `/help` lists them.
import type { Pattern } from '../src/agent/pattern.js';
import databaseCluster from './database-cluster.js';
import devEnvironment from './dev-environment.js';
import exposeService from './expose-service.js';
import firewallRule from './firewall-rule.js';
import gameServer from './game-server.js';
import iotNetwork from './iot-network.js';
import mediaServer from './media-server.js';
import vpnAccess from './vpn-access.js';
import webApp from './web-app.js';

export const builtinPatterns: readonly Pattern[] = [
  gameServer,
  webApp,
  devEnvironment,
  databaseCluster,
  iotNetwork,
  vpnAccess,
  mediaServer,
  exposeService,
  firewallRule,
] as unknown as readonly Pattern[];
