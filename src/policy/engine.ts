// Runs every enabled policy over a plan and reports all findings (never only the first), with each policy's
// configured severity and enforcement.
import { compareText } from '../model/compare-text.js';
import type { Diagnostic } from '../model/diagnostic.js';
import type { Plan, PolicyEnforcement, PolicyReport, PolicyResult, PolicySeverity } from '../model/plan.js';
import { policyEnforcementSchema, policySeveritySchema } from '../model/plan.js';
import type { Policy, PolicyFinding } from './policy.js';

/** What config may say about one policy: `policies: { "required-tags": { enforcement: "mandatory", tags: [...] } }`. */
export interface PolicySettings {
  enforcement?: PolicyEnforcement;
  severity?: PolicySeverity;
  [option: string]: unknown;
}

export interface ConfiguredPolicy {
  policy: Policy;
  severity: PolicySeverity;
  enforcement: PolicyEnforcement;
  options: Record<string, unknown>;
}

const severityRank: Record<PolicySeverity, number> = { critical: 0, high: 1, medium: 2, low: 3 };

export class PolicyEngine {
  readonly policies: readonly ConfiguredPolicy[];
  /** Problems with the settings themselves (an unknown policy id, a bad enforcement value). */
  readonly diagnostics: Diagnostic[] = [];

  constructor(policies: readonly Policy[], settings: Readonly<Record<string, PolicySettings>> = {}) {
    const byId = new Map<string, Policy>();
    for (const policy of policies) {
      if (byId.has(policy.id)) {
        this.diagnostics.push({
          severity: 'error',
          code: 'duplicate-policy',
          summary: `Two policies have the id "${policy.id}".`,
          detail: 'Policy ids must be unique; rename the custom policy.',
        });
        continue;
      }
      byId.set(policy.id, policy);
    }
    for (const id of Object.keys(settings)) {
      if (!byId.has(id)) {
        this.diagnostics.push({
          severity: 'warning',
          code: 'unknown-policy',
          summary: `Config has settings for a policy "${id}" that does not exist.`,
          detail: `Known policies: ${[...byId.keys()].join(', ')}. Check the spelling under "policies".`,
        });
      }
    }
    this.policies = [...byId.values()].map((policy) => {
      const { enforcement, severity, ...options } = settings[policy.id] ?? {};
      const configured: ConfiguredPolicy = {
        policy,
        severity: policy.severity,
        enforcement: policy.enforcement,
        options: { ...policy.options, ...options },
      };
      if (enforcement !== undefined) {
        if (policyEnforcementSchema.safeParse(enforcement).success) configured.enforcement = enforcement;
        else
          this.diagnostics.push(
            badSetting(policy.id, 'enforcement', enforcement, 'advisory, mandatory or disabled'),
          );
      }
      if (severity !== undefined) {
        if (policySeveritySchema.safeParse(severity).success) configured.severity = severity;
        else
          this.diagnostics.push(badSetting(policy.id, 'severity', severity, 'low, medium, high or critical'));
      }
      return configured;
    });
  }

  async evaluate(plan: Plan): Promise<PolicyReport> {
    const results: PolicyResult[] = [];
    const evaluated: string[] = [];
    for (const configured of this.policies) {
      if (configured.enforcement === 'disabled') continue;
      evaluated.push(configured.policy.id);
      let findings: PolicyFinding[];
      try {
        findings = await configured.policy.evaluate(plan, { options: configured.options });
        if (!Array.isArray(findings)) throw new TypeError('evaluate() did not return a list of findings');
      } catch (error) {
        // A broken policy fails closed: a mandatory one blocks, so a bug cannot wave a plan through.
        results.push({
          policy: configured.policy.id,
          severity: configured.severity,
          enforcement: configured.enforcement,
          status: 'violation',
          code: 'policy-failed',
          summary: `Policy "${configured.policy.id}" failed while checking the plan.`,
          detail: error instanceof Error ? error.message : String(error),
          remediation: 'Fix the policy (or disable it under "policies" in config) and plan again.',
        });
        continue;
      }
      for (const finding of findings) results.push(toResult(configured, finding));
    }
    results.sort(
      (a, b) =>
        Number(a.status === 'unverifiable') - Number(b.status === 'unverifiable') ||
        severityRank[a.severity] - severityRank[b.severity] ||
        compareText(a.address ?? '', b.address ?? '') ||
        compareText(a.policy, b.policy) ||
        compareText(a.path ?? '', b.path ?? ''),
    );
    return {
      evaluated,
      results,
      blocked: results.some((result) => result.status === 'violation' && result.enforcement === 'mandatory'),
    };
  }
}

/** The plan with its policy report attached: what review and apply read. */
export async function checkPlan(plan: Plan, engine: PolicyEngine): Promise<Plan> {
  return { ...plan, policies: await engine.evaluate(plan) };
}

function toResult(configured: ConfiguredPolicy, finding: PolicyFinding): PolicyResult {
  const summary =
    typeof finding?.summary === 'string' ? finding.summary : 'Policy finding without a summary.';
  return {
    policy: configured.policy.id,
    severity: configured.severity,
    enforcement: configured.enforcement,
    status: finding?.unverifiable ? 'unverifiable' : 'violation',
    code: finding?.code ?? configured.policy.id,
    summary,
    detail: finding?.detail ?? '',
    remediation: finding?.remediation ?? '',
    ...(finding?.address ? { address: finding.address } : {}),
    ...(finding?.path ? { path: finding.path } : {}),
  };
}

function badSetting(id: string, key: string, value: unknown, allowed: string): Diagnostic {
  return {
    severity: 'error',
    code: 'invalid-policy-setting',
    summary: `policies.${id}.${key} is ${JSON.stringify(value)}.`,
    detail: `Use one of ${allowed}.`,
  };
}
