// A privileged container (or an LXC container that is not unprivileged) is root on the host.
import { containsUnknown } from '../../model/unknown.js';
import { anyOf, changingSteps, property, type Truth } from '../inspect.js';
import { definePolicy, type PolicyFinding } from '../policy.js';

const DANGEROUS_CAPABILITIES = new Set(['ALL', 'SYS_ADMIN', 'CAP_SYS_ADMIN']);

export const noPrivilegedContainers = definePolicy({
  id: 'no-privileged-containers',
  description: 'Containers must not run privileged or with SYS_ADMIN; LXC containers must be unprivileged.',
  severity: 'high',
  enforcement: 'mandatory',
  evaluate(plan) {
    const findings: PolicyFinding[] = [];
    for (const step of changingSteps(plan, ['container', 'container:run', 'lxc'])) {
      const after = step.after ?? {};
      // The common case, checked without building anything: nothing privileged, nothing unknown.
      if (
        truthy(after.privileged) === false &&
        dangerousCapabilities(after.capAdd ?? after.cap_add ?? after.capabilities) === false &&
        (step.type !== 'lxc' || unprivilegedMissing(after.unprivileged) === false)
      ) {
        continue;
      }
      const checks: Array<{ key: string; value: unknown; verdict: Truth; reason: string }> = [];
      const privileged = property(step, 'privileged');
      checks.push({ ...privileged, verdict: truthy(privileged.value), reason: 'runs privileged' });
      const capabilities = property(step, 'capAdd', 'cap_add', 'capabilities');
      checks.push({
        ...capabilities,
        verdict: dangerousCapabilities(capabilities.value),
        reason: 'adds SYS_ADMIN or ALL capabilities',
      });
      if (step.type === 'lxc') {
        const unprivileged = property(step, 'unprivileged');
        checks.push({
          ...unprivileged,
          verdict: unprivilegedMissing(unprivileged.value),
          reason:
            unprivileged.value === undefined
              ? 'is a privileged LXC container (Proxmox creates privileged containers unless unprivileged: true)'
              : `is a privileged LXC container (unprivileged: ${JSON.stringify(unprivileged.value)})`,
        });
      }
      const verdict = anyOf(...checks.map((check) => check.verdict));
      if (verdict === false) continue;
      if (verdict === 'unknown') {
        findings.push({
          address: step.address,
          code: 'privileged-container',
          unverifiable: true,
          summary: 'Whether this container is privileged cannot be checked until apply.',
          detail: `${step.address}: ${checks
            .filter((check) => check.verdict === 'unknown')
            .map((check) => `${check.key} is only known after apply`)
            .join(', ')}.`,
          remediation: 'Give privilege settings as literal values to have them checked at plan time.',
        });
        continue;
      }
      for (const check of checks.filter((item) => item.verdict === true)) {
        findings.push({
          address: step.address,
          path: `properties.${check.key}`,
          code: 'privileged-container',
          summary: `Container ${check.reason}.`,
          detail: `${step.address} ${check.reason}: a process that escapes it controls the host.`,
          remediation:
            'Remove privileged mode and grant only the capabilities or devices the service needs (e.g. devices: ["/dev/dri"] for hardware transcoding).',
        });
      }
    }
    return findings;
  },
});

function truthy(value: unknown): Truth {
  if (containsUnknown(value)) return 'unknown';
  return value === true || value === 'true' || value === 1;
}

function dangerousCapabilities(value: unknown): Truth {
  if (containsUnknown(value)) return 'unknown';
  return (
    Array.isArray(value) &&
    value.some((capability) => DANGEROUS_CAPABILITIES.has(String(capability).toUpperCase()))
  );
}

/** Proxmox's API creates privileged containers unless told otherwise (only its web UI defaults to unprivileged). */
function unprivilegedMissing(value: unknown): Truth {
  if (containsUnknown(value)) return 'unknown';
  return value !== true && value !== 1 && value !== '1';
}
