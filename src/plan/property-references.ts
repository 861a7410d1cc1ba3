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
  /** The property name when the string is a top-level property value (the common case): rendering then needs no walk. */
  topLevelKey?: string;
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
      const entry: PropertyTemplate = {
        path: formatPropertyPath(path),
        template: parsed.template,
        targets: [],
      };
      if (path.length === 2 && typeof path[1] === 'string') entry.topLevelKey = path[1];
      templates.push(entry);
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
 * A copy of `properties` with each template replaced by its rendered value, in one walk. The walk meets the strings
 * in the order `collectTemplates` found them, so templates are taken in turn. Branches without templates are shared.
 */
export function renderProperties<Target>(
  properties: Record<string, unknown>,
  templates: ReadonlyArray<PropertyTemplate<Target>>,
  renderer: TemplateRenderer<Target>,
): Record<string, unknown> {
  if (templates.length === 0) return properties;
  if (templates.every((template) => template.topLevelKey !== undefined)) {
    const copy = { ...properties };
    for (const template of templates) copy[template.topLevelKey!] = renderer.render(template);
    return copy;
  }
  const walk: RenderWalk<Target> = { templates, renderer, next: 0 };
  return renderFrom(properties, walk) as Record<string, unknown>;
}

interface RenderWalk<Target> {
  templates: ReadonlyArray<PropertyTemplate<Target>>;
  renderer: TemplateRenderer<Target>;
  next: number;
}

function renderFrom<Target>(value: unknown, walk: RenderWalk<Target>): unknown {
  if (typeof value === 'string') {
    return mayContainReference(value) ? walk.renderer.render(walk.templates[walk.next++]!) : value;
  }
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let index = 0; index < value.length; index++) {
      const rendered = renderFrom(value[index], walk);
      if (rendered !== value[index]) {
        copy ??= value.slice();
        copy[index] = rendered;
      }
    }
    return copy ?? value;
  }
  if (typeof value === 'object' && value !== null) {
    let copy: Record<string, unknown> | undefined;
    for (const key in value) {
      const inner = (value as Record<string, unknown>)[key];
      const rendered = renderFrom(inner, walk);
      if (rendered !== inner) {
        copy ??= { ...(value as Record<string, unknown>) };
        copy[key] = rendered;
      }
    }
    return copy ?? value;
  }
  return value;
}

export function formatPropertyPath(path: PropertyPath): string {
  // join builds one flat string; `+=` would keep a tree of pieces alive for every path the plan stores.
  const parts: string[] = [];
  for (const segment of path) {
    if (typeof segment === 'number') parts.push(`[${segment}]`);
    else parts.push(parts.length === 0 ? segment : `.${segment}`);
  }
  return parts.join('');
}
