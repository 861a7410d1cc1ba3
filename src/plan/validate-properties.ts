// Plan-time validation of properties against the JSON Schema a provider publishes for the type, so a wrong type or a
// missing required property is found before anything is applied. Values only known after apply are not judged.
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { Diagnostic } from '../model/diagnostic.js';
import { containsUnknown } from '../model/unknown.js';

export class PropertyValidator {
  private readonly ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
  private readonly compiled = new Map<string, ValidateFunction | null>();

  /** Problems with `properties` against `schema` (compiled once per key); none when the schema itself is unusable. */
  validate(
    key: string,
    schema: Record<string, unknown>,
    properties: Record<string, unknown>,
    address: string,
  ): Diagnostic[] {
    let validate: ValidateFunction | null | undefined = this.compiled.get(key);
    if (validate === undefined) {
      try {
        validate = this.ajv.compile(schema);
      } catch {
        // A provider's broken schema must not block planning; the provider still checks on apply.
        validate = null;
      }
      this.compiled.set(key, validate);
    }
    if (!validate || validate(properties)) return [];
    return (validate.errors ?? [])
      .filter((error) => !isAboutUnknown(error, properties))
      .map((error) => toDiagnostic(error, address));
  }
}

/** An error at (or inside) a value that is only known after apply says nothing yet. */
function isAboutUnknown(error: ErrorObject, properties: Record<string, unknown>): boolean {
  let value: unknown = properties;
  for (const segment of error.instancePath.split('/').slice(1)) {
    if (value === null || typeof value !== 'object') return false;
    value = (value as Record<string, unknown>)[segment.replaceAll('~1', '/').replaceAll('~0', '~')];
    if (containsUnknown(value)) return true;
  }
  return containsUnknown(value) && error.instancePath !== '';
}

function toDiagnostic(error: ErrorObject, address: string): Diagnostic {
  const path = ['properties', ...error.instancePath.split('/').slice(1)].join('.');
  const missing = error.keyword === 'required' ? String(error.params.missingProperty) : undefined;
  const extra =
    error.keyword === 'additionalProperties' ? String(error.params.additionalProperty) : undefined;
  const allowed = error.keyword === 'enum' ? (error.params.allowedValues as unknown[]) : undefined;
  return {
    severity: 'error',
    code: 'invalid-properties',
    summary: missing
      ? `${address}: ${path}.${missing} is required.`
      : extra
        ? `${address}: ${path}.${extra} is not a property of this type.`
        : `${address}: ${path} ${error.message ?? 'is invalid'}.`,
    detail: allowed
      ? `Allowed values: ${allowed.map((value) => JSON.stringify(value)).join(', ')}.`
      : missing
        ? `Add ${missing} under ${path}; the provider's schema requires it.`
        : extra
          ? `Remove ${extra} or check its spelling against the provider's schema (conductor servers --json lists the types).`
          : "Fix the value to match the provider's schema for this type.",
    address,
    path: missing ? `${path}.${missing}` : extra ? `${path}.${extra}` : path,
  };
}
