// Finds the templates inside a resource's properties and renders properties with references filled in.
import type { Template } from '../model/reference.js';
import { mayContainReference, parseTemplate } from './template.js';

export type PropertyPath = Array<string | number>;

export interface PropertyTemplate {
  path: PropertyPath;
  template: Template;
}

export interface TemplateError {
  path: PropertyPath;
  message: string;
  fix: string;
}

/** Every string under `properties` that holds a reference or an escape, with where it is. */
export function collectTemplates(
  properties: Record<string, unknown>,
  templates: PropertyTemplate[],
  errors: TemplateError[],
): void {
  visit(properties, ['properties'], templates, errors);
}

function visit(
  value: unknown,
  path: PropertyPath,
  templates: PropertyTemplate[],
  errors: TemplateError[],
): void {
  if (typeof value === 'string') {
    if (!mayContainReference(value)) return;
    const parsed = parseTemplate(value);
    if (parsed.ok) templates.push({ path: [...path], template: parsed.template });
    else errors.push({ path: [...path], message: parsed.message, fix: parsed.fix });
    return;
  }
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      path.push(index);
      visit(value[index], path, templates, errors);
      path.pop();
    }
    return;
  }
  if (typeof value === 'object' && value !== null) {
    for (const key of Object.keys(value)) {
      path.push(key);
      visit((value as Record<string, unknown>)[key], path, templates, errors);
      path.pop();
    }
  }
}

/**
 * A copy of `properties` with each template replaced by its rendered value. Untouched branches are shared, not
 * copied, so resources without references cost nothing.
 */
export function renderProperties(
  properties: Record<string, unknown>,
  templates: readonly PropertyTemplate[],
  render: (template: Template) => unknown,
): Record<string, unknown> {
  if (templates.length === 0) return properties;
  let result: unknown = properties;
  for (const { path, template } of templates) {
    // path[0] is 'properties'.
    result = setAt(result, path, 1, render(template));
  }
  return result as Record<string, unknown>;
}

function setAt(container: unknown, path: PropertyPath, depth: number, value: unknown): unknown {
  if (depth === path.length) return value;
  const key = path[depth]!;
  if (Array.isArray(container)) {
    const copy = container.slice();
    copy[key as number] = setAt(container[key as number], path, depth + 1, value);
    return copy;
  }
  const record = container as Record<string, unknown>;
  return { ...record, [key]: setAt(record[key as string], path, depth + 1, value) };
}

export function formatPropertyPath(path: PropertyPath): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else text += text === '' ? segment : `.${segment}`;
  }
  return text;
}
