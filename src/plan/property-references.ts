// Finds the templates inside a resource's properties and renders properties with references filled in.
import type { Template } from '../model/reference.js';
import { mayContainReference, parseTemplate } from './template.js';

export type PropertyPath = Array<string | number>;

export interface PropertyTemplate<Target = unknown> {
  /** Where the string sits, e.g. `properties.servers[1]`. */
  path: string;
  template: Template;
  /** Filled by the planner: where each part of the template points (by part index; null for text and variables). */
  targets: Array<Target | null>;
  /** Where the string sits below `properties`, e.g. `['servers', 1]`. */
  segments: PropertyPath;
}

export interface TemplateError {
  path: string;
  message: string;
  fix: string;
}

/** Every string under `properties` that holds a reference or an escape, in walk order, with where it is. */
export function collectTemplates<Target>(
  properties: Record<string, unknown>,
  templates: Array<PropertyTemplate<Target>>,
  errors: TemplateError[],
): void {
  collectFrom(properties, ['properties'], templates as PropertyTemplate[], errors);
}

// Module-level recursion, not a closure per call: this runs for every resource of a plan.
function collectFrom(
  value: unknown,
  path: PropertyPath,
  templates: PropertyTemplate[],
  errors: TemplateError[],
): void {
  if (typeof value === 'string') {
    if (!mayContainReference(value)) return;
    const parsed = parseTemplate(value);
    if (parsed.ok) {
      templates.push({
        path: formatPropertyPath(path),
        template: parsed.template,
        targets: new Array(parsed.template.parts.length).fill(null),
        segments: path.slice(1),
      });
    } else errors.push({ path: formatPropertyPath(path), message: parsed.message, fix: parsed.fix });
    return;
  }
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      path.push(index);
      collectFrom(value[index], path, templates, errors);
      path.pop();
    }
    return;
  }
  if (typeof value === 'object' && value !== null) {
    for (const key in value) {
      path.push(key);
      collectFrom((value as Record<string, unknown>)[key], path, templates, errors);
      path.pop();
    }
  }
}

/** Renders one template; `renderProperties` calls it for each template in walk order. */
export interface TemplateRenderer<Target> {
  render(template: PropertyTemplate<Target>): unknown;
}

/**
 * A copy of `properties` with each template replaced by its rendered value. Only the objects and lists on the way to
 * a template are copied; everything else is shared with `properties`, which is never modified.
 */
export function renderProperties<Target>(
  properties: Record<string, unknown>,
  templates: ReadonlyArray<PropertyTemplate<Target>>,
  renderer: TemplateRenderer<Target>,
): Record<string, unknown> {
  if (templates.length === 0) return properties;
  const result: Record<string, unknown> = { ...properties };
  let copies: Set<unknown> | undefined;
  for (const template of templates) {
    const value = renderer.render(template);
    const { segments } = template;
    if (segments.length === 1) {
      result[segments[0] as string] = value;
      continue;
    }
    copies ??= new Set();
    let container = result as Record<string | number, unknown>;
    for (let depth = 0; depth < segments.length - 1; depth++) {
      const key = segments[depth]!;
      let child = container[key];
      if (!copies.has(child)) {
        child = Array.isArray(child) ? child.slice() : { ...(child as Record<string, unknown>) };
        copies.add(child);
        container[key] = child;
      }
      container = child as Record<string | number, unknown>;
    }
    container[segments[segments.length - 1]!] = value;
  }
  return result;
}

export function formatPropertyPath(path: PropertyPath): string {
  if (path.length === 2 && typeof path[1] === 'string') return `${String(path[0])}.${path[1]}`;
  // join builds one flat string; `+=` would keep a tree of pieces alive for every path the plan stores.
  const parts: string[] = [];
  for (const segment of path) {
    if (typeof segment === 'number') parts.push(`[${segment}]`);
    else parts.push(parts.length === 0 ? segment : `.${segment}`);
  }
  return parts.join('');
}
