// Just-in-time references: at plan time a value such as a VLAN's `device` is only an unknown marker; when the step
// runs, the VLAN's step has finished and its outputs are known. Each marker's expression is a template with the
// already-known parts filled in, so it is parsed again and rendered with the outputs of finished steps (or state).
import type { Step } from '../model/plan.js';
import type { Reference, ResourceReference } from '../model/reference.js';
import type { ResourceRecord, StateReader } from '../model/resource-record.js';
import { containsUnknown, isUnknown } from '../model/unknown.js';
import {
  formatPropertyPath,
  type PropertyPath,
  type PropertyTemplate,
  renderProperties,
} from '../plan/property-references.js';
import { NOT_KNOWN, parseTemplate, readPath, renderTemplate } from '../plan/template.js';
import type { Problem } from '../state/records.js';
import type { Properties } from './provider-gateway.js';

/** What a step of this apply produced, as references see it. */
export interface KnownResource {
  address: string;
  properties: Properties;
  outputs: Properties;
}

export interface ReferenceSources {
  /** The resource a step of this apply created or updated, by server and name. */
  finished(server: string, name: string): KnownResource | undefined;
  /** Everything else: resources that did not change, or belong to other deployments. */
  state: StateReader;
}

export type ResolveResult = { ok: true; properties: Properties } | { ok: false; problem: Problem };

interface Marker {
  segments: PropertyPath;
  expression: string;
}

/** The properties to send for a create or update: the plan's `after` with every unknown marker resolved. */
export async function resolveProperties(step: Step, sources: ReferenceSources): Promise<ResolveResult> {
  const after = step.after ?? step.properties ?? {};
  // Steps without references have nothing unknown: the common case costs no walk at all.
  if (step.references.length === 0) return { ok: true, properties: after };
  const markers: Marker[] = [];
  collectMarkers(after, [], markers);
  if (markers.length === 0) return { ok: true, properties: after };

  const templates: PropertyTemplate[] = [];
  const fromState = new Map<string, { server: string; name: string }>();
  for (const marker of markers) {
    const parsed = parseTemplate(marker.expression);
    if (!parsed.ok) {
      return {
        ok: false,
        problem: {
          code: 'invalid-reference',
          summary: `${step.address}: the value "${marker.expression}" cannot be resolved: ${parsed.message}`,
          detail: `${parsed.fix} The plan may have been edited by hand or made by another version; plan again.`,
        },
      };
    }
    for (const part of parsed.template.parts) {
      if (typeof part === 'string' || part.kind !== 'resource') continue;
      if (!sources.finished(part.server, part.name)) {
        fromState.set(`${part.server}\u0000${part.name}`, { server: part.server, name: part.name });
      }
    }
    templates.push({
      path: formatPropertyPath(['properties', ...marker.segments]),
      template: parsed.template,
      targets: [],
      segments: marker.segments,
    });
  }
  const stateRecords = new Map<string, ResourceRecord>();
  if (fromState.size > 0) {
    const keys = [...fromState.values()];
    const records = await sources.state.findByName(keys);
    records.forEach((record, index) => {
      if (record) stateRecords.set(`${keys[index]!.server}\u0000${keys[index]!.name}`, record);
    });
  }

  let missing: Problem | undefined;
  const lookup = (reference: Reference): unknown => {
    if (reference.kind === 'variable') {
      missing ??= {
        code: 'unresolved-reference',
        summary: `${step.address}: ${reference.expression} has no value.`,
        detail:
          'The deployment does not define that variable (or the path inside it). Define it and plan again.',
      };
      return NOT_KNOWN;
    }
    const source =
      sources.finished(reference.server, reference.name) ??
      stateRecords.get(`${reference.server}\u0000${reference.name}`);
    const value = source ? readOutput(source, reference) : undefined;
    if (value === undefined) {
      missing ??= missingValue(step, reference, source);
      return NOT_KNOWN;
    }
    return value;
  };
  const properties = renderProperties(after, templates, {
    render: (template) => renderTemplate(template.template, lookup),
  });
  if (missing || containsUnknown(properties)) {
    return {
      ok: false,
      problem: missing ?? {
        code: 'unresolved-reference',
        summary: `${step.address}: a value is still unknown after the resources it reads were applied.`,
        detail: 'Plan again; if it persists, report it with the plan.',
      },
    };
  }
  return { ok: true, properties };
}

/** Outputs first, then properties: the rule the planner uses for resources that already exist. */
function readOutput(source: KnownResource | ResourceRecord, reference: ResourceReference): unknown {
  const [first] = reference.output;
  return typeof first === 'string' && first in source.outputs
    ? readPath(source.outputs, reference.output)
    : readPath(source.properties, reference.output);
}

function missingValue(
  step: Step,
  reference: ResourceReference,
  source: KnownResource | ResourceRecord | undefined,
): Problem {
  if (!source) {
    return {
      code: 'unresolved-reference',
      summary: `${step.address}: ${reference.expression} names ${reference.server}:${reference.name}, which neither this apply nor state holds.`,
      detail: 'The resource it reads is gone (it may have been deleted since the plan was made). Plan again.',
    };
  }
  const outputs = Object.keys(source.outputs).sort();
  const properties = Object.keys(source.properties).sort();
  return {
    code: 'unresolved-reference',
    summary: `${step.address}: ${reference.expression} has no value: ${source.address} has no "${formatOutput(reference)}".`,
    detail:
      `${source.address} returned the outputs ${outputs.join(', ') || '(none)'} and has the properties ${properties.join(', ') || '(none)'}. ` +
      'Correct the output name in the reference, or check which outputs the provider (or its adapter) returns for this type.',
  };
}

function formatOutput(reference: ResourceReference): string {
  return reference.output
    .map((segment) => (typeof segment === 'number' ? `[${segment}]` : segment))
    .join('.');
}

function collectMarkers(value: unknown, segments: PropertyPath, markers: Marker[]): void {
  if (isUnknown(value)) {
    markers.push({ segments: segments.slice(), expression: value.$unknown });
    return;
  }
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      segments.push(index);
      collectMarkers(value[index], segments, markers);
      segments.pop();
    }
    return;
  }
  if (typeof value === 'object' && value !== null) {
    for (const key in value) {
      segments.push(key);
      collectMarkers((value as Record<string, unknown>)[key], segments, markers);
      segments.pop();
    }
  }
}
