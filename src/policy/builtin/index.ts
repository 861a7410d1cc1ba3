// The policies Conductor ships with, in the order they are reported.
import type { Policy } from '../policy.js';
import { noManagementPortsFromWan } from './management-ports.js';
import { noAnyToAny } from './no-any-to-any.js';
import { noPlaintextHttpFromWan } from './plaintext-http.js';
import { noPrivilegedContainers } from './privileged-containers.js';
import { requiredTags } from './required-tags.js';

export const builtinPolicies: readonly Policy[] = [
  noAnyToAny,
  noManagementPortsFromWan,
  noPrivilegedContainers,
  noPlaintextHttpFromWan,
  requiredTags,
];

export { noAnyToAny, noManagementPortsFromWan, noPlaintextHttpFromWan, noPrivilegedContainers, requiredTags };
