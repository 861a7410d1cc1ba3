// The planner: desired deployment + current state → Plan (steps, diffs, waves, diagnostics). It decides; it does
// not act. The work is an ordered list of named stages, each reading what the earlier ones produced.

import { parseAddressPattern } from '../model/address.js';
import { compareText } from '../model/compare-text.js';
import { type Diagnostic, hasErrors, sortDiagnostics } from '../model/diagnostic.js';
import type { Plan, PlanSummary, PropertyChange, Step, StepAction, StepReference } from '../model/plan.js';
import type { Reference, ResourceReference } from '../model/reference.js';
import type { Deployment, Resource } from '../model/resource.js';
import type { ResourceRecord, ServerName, StateReader } from '../model/resource-record.js';
import { emptyTypeCatalog, TYPE_ALIASES, type TypeCatalog, typeHintFits } from '../model/type-catalog.js';
import { checkOperations } from './check-operations.js';
import { diffProperties, topLevelProperty } from './diff.js';
import {
  criticalPath,
  findCycles,
  formatCycle,
  Graph,
  topologicalIndices,
  waveNumbers,
} from './graph/index.js';
import { NameIndex } from './name-index.js';
import {
  collectTemplates,
  type PropertyTemplate,
  renderProperties,
  type TemplateError,
} from './property-references.js';
import { closestNames } from './suggest.js';
import { mayContainReference, NOT_KNOWN, readPath, renderTemplate } from './template.js';
import { PropertyValidator } from './validate-properties.js';

export interface PlanInput {
  deployment: Deployment;
  /** Current state; empty when absent (everything is a create). */
  state?: StateReader;
  /** Type metadata from providers: which properties force replacement, which hold secrets. */
  types?: TypeCatalog;
  /** Extra type aliases for references, on top of the built-in ones. */
  aliases?: Readonly<Record<string, string>>;
  /** Called after each stage with its duration in milliseconds: for profiling and benchmarks. */
  onStage?: (stage: string, milliseconds: number) => void;
}

/** A desired resource while it is being planned. */
interface Node {
  index: number;
  resource: Resource;
  address: string;
  /** This node as a reference target, allocated once. */
  target: Target;
  templates: Array<PropertyTemplate<Target>>;
  /** Desired resources this one needs, by index; no duplicates. */
  dependencies: number[];
  references: StepReference[];
  record?: ResourceRecord;
  action?: StepAction;
  after?: Record<string, unknown>;
  changes?: PropertyChange[];
  /** The address of a same-named resource of another type that must be deleted first. */
  waitsFor?: string;
}

/** Where a reference or dependsOn entry points. */
type Target = { kind: 'node'; index: number } | { kind: 'external'; record: ResourceRecord };

interface Context {
  input: PlanInput;
  deployment: Deployment;
  state: StateReader;
  types: TypeCatalog;
  aliases: Readonly<Record<string, string>>;
  nodes: Node[];
  /** Desired resources by server and name: how references find them. */
  byName: NameIndex<number>;
  diagnostics: Diagnostic[];
  /** External resources (state, other deployments) by server + name. */
  external: NameIndex<ResourceRecord>;
  /** Desired resource keys that another deployment already owns. */
  ownedElsewhere: NameIndex<ResourceRecord>;
  /** Resources of this deployment that its description no longer lists, by server + name. */
  removed: NameIndex<ResourceRecord>;
  current: ResourceRecord[];
  graph?: Graph<Node>;
  /** Indices of `nodes` in dependency order; absent when there is a cycle. */
  order?: Int32Array;
  /** Names referenced but not desired: they may exist in state. */
  wanted: NameIndex<true>;
  steps: Step[];
}

const emptyState: StateReader = {
  resourcesOf: async () => [],
  findByName: async (keys) => keys.map(() => undefined),
  namesOn: async () => [],
};

/** Plans a deployment. Never throws for bad input: problems are diagnostics in the returned plan. */
export async function planDeployment(input: PlanInput): Promise<Plan> {
  const context: Context = {
    input,
    deployment: input.deployment,
    state: input.state ?? emptyState,
    types: input.types ?? emptyTypeCatalog,
    aliases: input.aliases ? { ...TYPE_ALIASES, ...input.aliases } : TYPE_ALIASES,
    nodes: [],
    byName: new NameIndex(),
    diagnostics: [],
    external: new NameIndex(),
    ownedElsewhere: new NameIndex(),
    removed: new NameIndex(),
    wanted: new NameIndex(),
    current: [],
    steps: [],
  };
  const stages: Array<[name: string, run: (context: Context) => void | Promise<void>, stopOnError: boolean]> =
    [
      ['index resources', indexResources, false],
      ['collect references', collectReferences, false],
      ['load state', loadState, false],
      ['resolve dependencies', resolveDependencies, true],
      ['check cycles', checkCycles, true],
      ['diff against state', diffAgainstState, true],
      ['validate properties', validateAgainstSchemas, false],
      ['plan deletes', planDeletes, true],
      ['check dependents elsewhere', checkDependentsElsewhere, true],
    ];
  for (const [name, run, stopOnError] of stages) {
    if (stopOnError && hasErrors(context.diagnostics)) break;
    const started = performance.now();
    await run(context);
    input.onStage?.(name, performance.now() - started);
  }
  const started = performance.now();
  const plan = assemblePlan(context);
  input.onStage?.('assemble plan', performance.now() - started);
  if (input.types && plan.steps.length > 0) {
    const problems = checkOperations(plan, input.types);
    if (problems.length > 0) plan.diagnostics = sortDiagnostics([...plan.diagnostics, ...problems]);
  }
  return plan;
}

function indexResources(context: Context): void {
  for (const resource of context.deployment.resources) {
    // One flat string: addresses live as long as the plan, and a concatenation would keep its pieces.
    const address = [resource.server, resource.type, resource.name].join(':');
    const existing = context.byName.get(resource.server, resource.name);
    if (existing !== undefined) {
      const first = context.nodes[existing]!;
      context.diagnostics.push({
        severity: 'error',
        code: 'duplicate-name',
        summary: `Two resources on server "${resource.server}" are named "${resource.name}".`,
        detail: `${first.address} and ${address} share a name. Names are unique per server (references find resources by server and name): rename one of them.`,
        address,
      });
      continue;
    }
    const index = context.nodes.length;
    context.byName.set(resource.server, resource.name, index);
    context.nodes.push({
      index,
      resource,
      address,
      target: { kind: 'node', index },
      templates: [],
      dependencies: [],
      references: [],
    });
  }
}

function collectReferences(context: Context): void {
  const variables = context.deployment.variables ?? {};
  // Collected into scratch lists, then copied at their exact size: most resources have one or two templates, and a
  // list grown by push reserves room for seventeen (it adds up over 100,000 resources).
  const found: Array<PropertyTemplate<Target>> = [];
  const errors: TemplateError[] = [];
  for (const node of context.nodes) {
    found.length = 0;
    errors.length = 0;
    collectTemplates(node.resource.properties, found, errors);
    if (found.length > 0) node.templates = found.slice();
    // Most references name a resource of the same deployment: resolve those now, collect the rest for state.
    for (const { template, targets } of node.templates) {
      for (let index = 0; index < template.parts.length; index++) {
        const part = template.parts[index]!;
        if (typeof part === 'string' || part.kind !== 'resource') continue;
        const desired = context.byName.get(part.server, part.name);
        if (desired !== undefined) targets[index] = context.nodes[desired]!.target;
        else {
          targets[index] = null;
          context.wanted.set(part.server, part.name, true);
        }
      }
    }
    for (const entry of node.resource.dependsOn) {
      const pattern = parseAddressPattern(entry);
      if (!pattern) continue;
      const server = pattern.server ?? node.resource.server;
      if (!context.byName.has(server, pattern.name)) context.wanted.set(server, pattern.name, true);
    }
    for (const error of errors) {
      context.diagnostics.push({
        severity: 'error',
        code: 'invalid-reference',
        summary: `${node.address}: ${error.message}`,
        detail: error.fix,
        address: node.address,
        path: error.path,
      });
    }
    for (const { path, template } of node.templates) {
      for (const part of template.parts) {
        if (typeof part === 'string' || part.kind !== 'variable') continue;
        if (!Object.hasOwn(variables, part.name)) {
          const known = Object.keys(variables);
          const suggestions = closestNames(part.name, known);
          context.diagnostics.push({
            severity: 'error',
            code: 'unknown-variable',
            summary: `${node.address}: ${part.expression} names a variable the deployment does not define.`,
            detail:
              (suggestions.length > 0
                ? `Did you mean ${suggestions.map((name) => `var.${name}`).join(', ')}? `
                : '') +
              `Add "${part.name}" under "variables" in the deployment${known.length > 0 ? ` (defined: ${known.join(', ')})` : ''}.`,
            address: node.address,
            path,
          });
        }
      }
    }
  }
}

/** One batch read of state: this deployment's resources, and every server + name the plan mentions. */
async function loadState(context: Context): Promise<void> {
  // Every desired name (another deployment may own it) and every name referenced but not desired (it may exist).
  const keys: ServerName[] = [];
  for (const node of context.nodes) keys.push({ server: node.resource.server, name: node.resource.name });
  for (const [server, name] of context.wanted.entries()) keys.push({ server, name });
  const [current, found] = await Promise.all([
    context.state.resourcesOf(context.deployment.name),
    keys.length > 0 ? context.state.findByName(keys) : Promise.resolve([]),
  ]);
  context.current = current;
  found.forEach((record, index) => {
    if (!record) return;
    const { server, name } = keys[index]!;
    if (context.byName.has(server, name)) {
      if (record.deployment !== context.deployment.name) context.ownedElsewhere.set(server, name, record);
    } else if (record.deployment === context.deployment.name) {
      // This deployment created it and no longer lists it: this plan deletes it, so nothing may refer to it.
      context.removed.set(server, name, record);
    } else context.external.set(server, name, record);
  });
  for (const [server, name, record] of context.ownedElsewhere.entries()) {
    const node = context.nodes[context.byName.get(server, name)!]!;
    context.diagnostics.push({
      severity: 'error',
      code: 'name-taken',
      summary: `${node.address}: "${record.name}" on server "${record.server}" already belongs to deployment "${record.deployment}".`,
      detail: `Names are unique per server. Rename the resource, or change it through deployment "${record.deployment}". To refer to the existing one instead, use a reference such as \${${record.address}.id}.`,
      address: node.address,
    });
  }
}

async function resolveDependencies(context: Context): Promise<void> {
  const unresolved: Unresolved[] = [];
  // Scratch lists copied at their exact size, as in collectReferences.
  const dependencies: number[] = [];
  const references: StepReference[] = [];
  for (const node of context.nodes) {
    dependencies.length = 0;
    references.length = 0;
    for (const { path: pathText, template, targets } of node.templates) {
      for (let index = 0; index < template.parts.length; index++) {
        const part = template.parts[index]!;
        if (typeof part === 'string' || part.kind !== 'resource') continue;
        let target = targets[index] ?? undefined;
        if (!target) {
          target = findTarget(context, part.server, part.name);
          targets[index] = target ?? null;
        }
        if (!target) {
          unresolved.push({
            node,
            server: part.server,
            name: part.name,
            typeHint: part.typeHint,
            describe: part.expression,
            path: pathText,
          });
          continue;
        }
        checkTypeHint(context, node, part, target, pathText);
        addDependency(dependencies, target);
        const reference: StepReference = {
          path: pathText,
          expression: part.expression,
          target: targetAddress(context, target),
        };
        if (target.kind === 'external') reference.external = true;
        references.push(reference);
      }
    }
    node.resource.dependsOn.forEach((entry, position) => {
      const pattern = parseAddressPattern(entry);
      const path = `dependsOn[${position}]`;
      if (!pattern) {
        context.diagnostics.push({
          severity: 'error',
          code: 'invalid-dependency',
          summary: `${node.address}: dependency "${entry}" is not a name or an address.`,
          detail:
            'Write a name on the same server ("web-vlan") or an address with the server ("opnsense:network:vlan:web-vlan" or "opnsense:web-vlan").',
          address: node.address,
          path,
        });
        return;
      }
      const server = pattern.server ?? node.resource.server;
      const target = findTarget(context, server, pattern.name);
      if (!target) {
        unresolved.push({
          node,
          server,
          name: pattern.name,
          typeHint: pattern.typeHint,
          describe: `dependency "${entry}"`,
          path,
        });
        return;
      }
      if (pattern.typeHint !== undefined) {
        const type = target.kind === 'node' ? context.nodes[target.index]!.resource.type : target.record.type;
        if (!typeHintFits(pattern.typeHint, type, context.aliases)) {
          context.diagnostics.push(typeMismatch(node, `dependency "${entry}"`, pattern.typeHint, type, path));
        }
      }
      addDependency(dependencies, target);
    });
    addImplicitReferences(context, node, dependencies);
    if (dependencies.length > 0) node.dependencies = dependencies.slice();
    if (references.length > 0) node.references = references.slice();
  }
  for (const problem of unresolved) {
    context.diagnostics.push(await unresolvedDiagnostic(context, problem));
  }
}

/**
 * Properties the provider declares as naming another resource (`defaultBackend: web-backend`) are edges too. A name
 * neither the deployment nor state knows may exist on the server unmanaged: a warning, not an error.
 */
function addImplicitReferences(context: Context, node: Node, dependencies: number[]): void {
  const declared = context.types.describe(node.resource.server, node.resource.type)?.references;
  if (!declared) return;
  for (const reference of declared) {
    if ((reference.by ?? 'name') !== 'name') continue;
    const value = node.resource.properties[reference.property];
    if (typeof value !== 'string' || value === '' || mayContainReference(value)) continue;
    if (reference.builtins?.includes(value)) continue;
    const target = findTarget(context, node.resource.server, value);
    if (!target) {
      context.diagnostics.push({
        severity: 'warning',
        code: 'unknown-named-resource',
        summary: `${node.address}: ${reference.property} names ${reference.type} "${value}", which is not in this deployment or in state.`,
        detail: `Apply works only if ${node.resource.server} already has it. To have Conductor create it first, add a ${reference.type} named "${value}" to the deployment.`,
        address: node.address,
        path: `properties.${reference.property}`,
      });
      continue;
    }
    addDependency(dependencies, target);
  }
}

/** A handful of dependencies per resource: a linear check beats a Set per node. */
function addDependency(dependencies: number[], target: Target): void {
  if (target.kind === 'node' && !dependencies.includes(target.index)) dependencies.push(target.index);
}

function findTarget(context: Context, server: string, name: string): Target | undefined {
  const index = context.byName.get(server, name);
  if (index !== undefined) return context.nodes[index]!.target;
  const record = context.external.get(server, name);
  return record ? { kind: 'external', record } : undefined;
}

function targetAddress(context: Context, target: Target): string {
  return target.kind === 'node' ? context.nodes[target.index]!.address : target.record.address;
}

function checkTypeHint(
  context: Context,
  node: Node,
  reference: ResourceReference,
  target: Target,
  path: string,
) {
  if (reference.typeHint === undefined) return;
  const type = target.kind === 'node' ? context.nodes[target.index]!.resource.type : target.record.type;
  if (!typeHintFits(reference.typeHint, type, context.aliases)) {
    context.diagnostics.push(typeMismatch(node, reference.expression, reference.typeHint, type, path));
  }
}

function typeMismatch(node: Node, what: string, hint: string, type: string, path: string): Diagnostic {
  return {
    severity: 'warning',
    code: 'reference-type-mismatch',
    summary: `${node.address}: ${what} says type "${hint}", but the resource it names is a "${type}".`,
    detail: `Resolution is by server and name, so it still points at the ${type}. If that is what you meant, write the type as "${type}" (or a part of it); otherwise correct the name.`,
    address: node.address,
    path,
  };
}

interface Unresolved {
  node: Node;
  server: string;
  name: string;
  typeHint: string | undefined;
  /** How the user wrote it: the reference expression or `dependency "..."`. */
  describe: string;
  path?: string;
}

async function unresolvedDiagnostic(context: Context, problem: Unresolved): Promise<Diagnostic> {
  const { node, server, name, describe } = problem;
  const servers = new Set<string>(context.nodes.map((other) => other.resource.server));
  for (const record of context.external.values()) servers.add(record.server);
  const isDependency = describe.startsWith('dependency');
  const code = isDependency ? 'unresolved-dependency' : 'unresolved-reference';
  const removed = context.removed.get(server, name);
  if (removed) {
    return {
      severity: 'error',
      code,
      summary: `${node.address}: ${describe} names ${removed.address}, which this plan deletes.`,
      detail: `${removed.address} is no longer in the deployment, so it would be deleted while ${node.address} still needs it. Keep it in the deployment, or remove the ${isDependency ? 'dependency' : 'reference'}.`,
      address: node.address,
      ...(problem.path ? { path: problem.path } : {}),
    };
  }
  let detail: string;
  const stateNames = await context.state.namesOn(server);
  const serverKnown = servers.has(server) || stateNames.length > 0;
  if (!serverKnown) {
    const suggestions = closestNames(server, servers);
    detail =
      `No resource in this deployment or in state is on a server named "${server}".` +
      (suggestions.length > 0 ? ` Did you mean ${suggestions.map((item) => `"${item}"`).join(', ')}?` : '') +
      ` Servers in this deployment: ${[...servers].sort().join(', ') || 'none'}.`;
  } else {
    // With a type hint, only resources of a fitting type are worth suggesting.
    const names = [
      ...context.nodes
        .filter(
          (other) =>
            other.resource.server === server &&
            (problem.typeHint === undefined ||
              typeHintFits(problem.typeHint, other.resource.type, context.aliases)),
        )
        .map((other) => other.resource.name),
      ...(problem.typeHint === undefined ? stateNames : []),
    ];
    const suggestions = closestNames(name, names).map((candidate) => {
      const target = findTarget(context, server, candidate);
      return target ? targetAddress(context, target) : `${server}:${candidate}`;
    });
    const elsewhere = [...context.nodes]
      .filter((other) => other.resource.name === name && other.resource.server !== server)
      .map((other) => other.address);
    detail =
      `Server "${server}" has no resource named "${name}" in this deployment or in state.` +
      (suggestions.length > 0 ? ` Did you mean ${suggestions.join(', ')}?` : '') +
      (elsewhere.length > 0
        ? ` A resource of that name exists on another server: ${elsewhere.join(', ')}.`
        : '') +
      ` Add the resource "${name}" to the deployment, or correct the ${isDependency ? 'dependency' : 'reference'}.`;
  }
  return {
    severity: 'error',
    code,
    summary: `${node.address}: ${describe}${problem.path && !isDependency ? ` in ${problem.path}` : ''} names a resource that does not exist.`,
    detail,
    address: node.address,
    ...(problem.path ? { path: problem.path } : {}),
  };
}

function checkCycles(context: Context): void {
  // Graph indices are node indices: nodes are added in order.
  const graph = new Graph<Node>();
  for (const node of context.nodes) graph.addNode(node.address, node);
  for (const node of context.nodes) {
    for (const dependency of node.dependencies) graph.addDependencyAt(node.index, dependency);
  }
  const cycles = findCycles(graph);
  for (const cycle of cycles) {
    context.diagnostics.push({
      severity: 'error',
      code: 'dependency-cycle',
      summary: `Dependency cycle: ${formatCycle(cycle)}.`,
      detail:
        'Each resource in the cycle waits for the next, so none can start. Remove one of the references or dependsOn entries that close the loop (arrows point from a resource to what it needs).',
      address: cycle[0]!,
    });
  }
  context.graph = graph;
  if (cycles.length === 0) context.order = topologicalIndices(graph);
}

/** Decides each desired resource's action in dependency order, so a target's action is known before its users'. */
function diffAgainstState(context: Context): void {
  const currentByName = new NameIndex<ResourceRecord>();
  for (const record of context.current) currentByName.set(record.server, record.name, record);
  const renderer = new PlanTimeRenderer(context);
  for (const index of context.order ?? []) {
    const node = context.nodes[index]!;
    const { resource } = node;
    const record = currentByName.get(resource.server, resource.name);
    // A different type under the same name is a different resource: it is deleted, then this one created.
    if (record && record.type === resource.type) node.record = record;

    if (node.templates.length === 0) node.after = resource.properties;
    else {
      renderer.node = node;
      node.after = renderProperties(resource.properties, node.templates, renderer);
    }
    // A create's `after` is its whole diff; listing every property again as a change would only double the plan.
    if (!node.record) {
      node.action = 'create';
      continue;
    }
    const changes = diffProperties(node.record.properties, node.after);
    node.changes = changes;
    if (changes.length === 0) {
      node.action = 'same';
      continue;
    }
    const replaceOn = new Set(context.types.describe(resource.server, resource.type)?.replaceOn ?? []);
    let replace = false;
    for (const change of changes) {
      if (replaceOn.has(topLevelProperty(change.path))) {
        change.forcesReplacement = true;
        replace = true;
      }
    }
    node.action = replace ? 'replace' : 'update';
  }
}

/** Checks what will be sent against the provider's schema for each type that has one. */
function validateAgainstSchemas(context: Context): void {
  let validator: PropertyValidator | undefined;
  for (const node of context.nodes) {
    if (!node.after || node.action === 'same') continue;
    const { server, type } = node.resource;
    const schema = context.types.describe(server, type)?.schema;
    if (!schema) continue;
    validator ??= new PropertyValidator();
    context.diagnostics.push(...validator.validate(`${server}:${type}`, schema, node.after, node.address));
  }
}

/** Renders a node's templates with what is known at plan time; one instance serves every node in turn. */
class PlanTimeRenderer {
  node!: Node;
  private targets: Array<Target | null> = [];
  private readonly variables: Record<string, unknown>;
  private readonly lookup = (reference: Reference, index: number): unknown => {
    if (reference.kind === 'variable') {
      const value = readPath(this.variables[reference.name], reference.output);
      return value === undefined ? NOT_KNOWN : value;
    }
    return lookupOutput(this.context, this.node, reference, this.targets[index] ?? undefined);
  };

  constructor(private readonly context: Context) {
    this.variables = context.deployment.variables ?? {};
  }

  render(template: PropertyTemplate<Target>): unknown {
    this.targets = template.targets;
    return renderTemplate(template.template, this.lookup);
  }
}

/**
 * A referenced value at plan time. Properties of the target are known as soon as the target's own properties are
 * (even for a create); outputs are known only for resources that exist and are not being replaced.
 */
function lookupOutput(
  context: Context,
  node: Node,
  reference: ResourceReference,
  target: Target | undefined,
): unknown {
  if (!target) return NOT_KNOWN;
  const [first] = reference.output;
  if (target.kind === 'external') {
    const { record } = target;
    const value =
      typeof first === 'string' && first in record.outputs
        ? readPath(record.outputs, reference.output)
        : readPath(record.properties, reference.output);
    if (value === undefined) {
      context.diagnostics.push(missingOutput(node, reference, record, 'error'));
      return NOT_KNOWN;
    }
    return value;
  }
  const targetNode = context.nodes[target.index]!;
  if (typeof first === 'string' && targetNode.after && first in targetNode.after) {
    const value = readPath(targetNode.after, reference.output);
    return value === undefined ? NOT_KNOWN : value;
  }
  if (targetNode.record && (targetNode.action === 'same' || targetNode.action === 'update')) {
    const value = readPath(targetNode.record.outputs, reference.output);
    if (value === undefined) {
      context.diagnostics.push(missingOutput(node, reference, targetNode.record, 'warning'));
      return NOT_KNOWN;
    }
    return value;
  }
  return NOT_KNOWN;
}

function missingOutput(
  node: Node,
  reference: ResourceReference,
  record: ResourceRecord,
  severity: Diagnostic['severity'],
): Diagnostic {
  const known = [...Object.keys(record.outputs), ...Object.keys(record.properties)].sort();
  const suggestions = closestNames(String(reference.output[0] ?? ''), known);
  return {
    severity,
    code: 'unknown-output',
    summary: `${node.address}: ${reference.expression} reads a value ${record.address} does not have.`,
    detail:
      (suggestions.length > 0 ? `Did you mean ${suggestions.join(', ')}? ` : '') +
      `Recorded outputs and properties of ${record.address}: ${known.join(', ') || 'none'}.`,
    address: node.address,
  };
}

/** Resources this deployment created that its description no longer lists. */
/**
 * A resource this plan deletes may still be needed by another deployment (its rule points at this VLAN). Deleting it
 * would break that deployment behind its back: an error that names who depends on it.
 */
async function checkDependentsElsewhere(context: Context): Promise<void> {
  const deleted = context.steps.filter((step) => step.action === 'delete').map((step) => step.address);
  if (deleted.length === 0 || !context.state.dependentsOf) return;
  const dependents = await context.state.dependentsOf(deleted);
  const deletedSet = new Set(deleted);
  for (const dependent of dependents) {
    if (dependent.deployment === context.deployment.name) continue;
    for (const address of dependent.dependsOn) {
      if (!deletedSet.has(address)) continue;
      context.diagnostics.push({
        severity: 'error',
        code: 'still-referenced',
        summary: `${address} cannot be deleted: ${dependent.address} of deployment "${dependent.deployment}" depends on it.`,
        detail: `Deleting it would break "${dependent.deployment}". Change or destroy that deployment first, or keep ${address} in this one.`,
        address,
      });
    }
  }
}

function planDeletes(context: Context): void {
  const desiredAddresses = new Set<string>();
  for (const node of context.nodes) if (node.record) desiredAddresses.add(node.record.address);
  const deletes = context.current
    .filter((record) => !desiredAddresses.has(record.address))
    .sort((a, b) => compareText(a.address, b.address));
  const deleted = new Set(deletes.map((record) => record.address));
  const deletesAfter = new Map<string, Set<string>>(deletes.map((record) => [record.address, new Set()]));

  // Something that depended on a deleted resource goes first: deletes of dependents, and steps of resources that
  // stay but drop the dependency.
  const stayingByAddress = new Map<string, Node>();
  for (const node of context.nodes) if (node.record) stayingByAddress.set(node.record.address, node);
  for (const record of context.current) {
    for (const dependency of record.dependsOn) {
      if (!deleted.has(dependency)) continue;
      const staying = stayingByAddress.get(record.address);
      if (deleted.has(record.address)) deletesAfter.get(dependency)!.add(record.address);
      else if (staying) deletesAfter.get(dependency)!.add(staying.address);
    }
  }
  for (const record of deletes) {
    const step: Step = {
      address: record.address,
      server: record.server,
      type: record.type,
      name: record.name,
      action: 'delete',
      dependsOn: [...deletesAfter.get(record.address)!].sort(),
      before: record.properties,
      changes: [],
      references: [],
      ...(record.id !== undefined ? { id: record.id } : {}),
      ...(record.sensitive ? { sensitive: record.sensitive } : {}),
    };
    context.steps.push(step);
  }
  // A resource that changed type under the same name is created only after the old one is gone.
  for (const record of deletes) {
    const index = context.byName.get(record.server, record.name);
    if (index !== undefined) context.nodes[index]!.waitsFor = record.address;
  }
}

function assemblePlan(context: Context): Plan {
  const desiredSteps: Step[] = [];
  if (context.order && !hasErrors(context.diagnostics)) {
    for (const node of context.nodes) desiredSteps.push(stepFor(context, node));
  }
  const steps = desiredSteps.concat(context.steps);

  // Waves and the critical path cover the steps that do something; unchanged resources are already in place. When
  // every desired resource changes and nothing is deleted, that is the graph the cycle check built (same indices):
  // reuse it. Otherwise build the graph of acting steps.
  const acting = steps.filter((step) => step.action !== 'same');
  let execution: Graph<unknown>;
  let executionSteps: Step[];
  if (context.graph && context.steps.length === 0 && acting.length === context.graph.size) {
    execution = context.graph;
    executionSteps = desiredSteps;
  } else {
    const graph = new Graph<Step>();
    for (const step of acting) graph.addNode(step.address, step);
    for (const step of acting) {
      for (const dependency of step.dependsOn) {
        if (graph.hasNode(dependency)) graph.addDependency(step.address, dependency);
      }
    }
    execution = graph;
    executionSteps = acting;
  }
  const levels = execution.size > 0 ? waveNumbers(execution) : new Int32Array(0);
  const byWave: Step[][] = [];
  for (let index = 0; index < levels.length; index++) {
    const step = executionSteps[index]!;
    const level = levels[index]!;
    step.wave = level;
    const wave = byWave[level];
    if (wave) wave.push(step);
    else byWave[level] = [step];
  }
  const ordered: Step[] = [];
  const waves: string[][] = [];
  for (const wave of byWave) {
    wave.sort((a, b) => compareText(a.address, b.address));
    for (const step of wave) ordered.push(step);
    waves.push(wave.map((step) => step.address));
  }
  const critical = execution.size > 0 ? criticalPath(execution).path : [];
  const unchanged = steps
    .filter((step) => step.action === 'same')
    .sort((a, b) => compareText(a.address, b.address));
  for (const step of unchanged) ordered.push(step);

  const summary: PlanSummary = { create: 0, update: 0, replace: 0, delete: 0, same: 0 };
  for (const step of ordered) summary[step.action]++;
  return {
    formatVersion: 1,
    deployment: context.deployment.name,
    steps: ordered,
    waves,
    criticalPath: critical,
    summary,
    diagnostics: sortDiagnostics(context.diagnostics),
  };
}

function stepFor(context: Context, node: Node): Step {
  const { resource, record } = node;
  const action = node.action!;
  const info = context.types.describe(resource.server, resource.type);
  const changes = node.changes ?? [];
  const dependsOn = node.dependencies.map((index) => context.nodes[index]!.address);
  if (node.waitsFor) dependsOn.push(node.waitsFor);
  if (dependsOn.length > 1) dependsOn.sort(compareText);
  const step: Step = {
    address: node.address,
    server: resource.server,
    type: resource.type,
    name: resource.name,
    action,
    dependsOn,
    properties: resource.properties,
    after: node.after ?? resource.properties,
    changes,
    references: node.references,
  };
  // Optional fields are set only when present (assignments, not spreads: this runs once per resource).
  if (record) step.before = record.properties;
  if (record?.id !== undefined) step.id = record.id;
  if (action === 'replace') {
    step.replaceBecause = [
      ...new Set(
        changes.filter((change) => change.forcesReplacement).map((change) => topLevelProperty(change.path)),
      ),
    ];
    step.createBeforeDestroy = info?.createBeforeDestroy ?? true;
  }
  if (resource.tags) step.tags = resource.tags;
  if (resource.sensitive || info?.sensitive) {
    step.sensitive = [...new Set([...(resource.sensitive ?? []), ...(info?.sensitive ?? [])])];
  }
  return step;
}
