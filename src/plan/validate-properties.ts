// Plan-time validation of properties against the JSON Schema a provider publishes for the type, so a wrong type or a
// missing required property is found before anything is applied. Values only known after apply are not judged.
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { Diagnostic } from '../model/diagnostic.js';
import { containsUnknown } from '../model/unknown.js';

const OPTIONS = { allErrors: true, strict: false, validateFormats: false } as const;
const DRAFT_2020 = /json-schema\.org\/draft\/2020-12\/schema/;

export class PropertyValidator {
  // Draft-07 by default; draft 2020-12 (what zod 4's toJSONSchema writes) needs its own class: the draft-07 one
  // refuses to compile a schema that declares it.
  private draft07: Ajv | undefined;
  private draft2020: Ajv2020 | undefined;
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
        validate = this.compilerFor(schema).compile(schema);
      } catch (error) {
        // A provider's broken schema must not block planning; the provider still checks on apply. Said once per type.
        this.compiled.set(key, null);
        return [
          {
            severity: 'warning',
            code: 'schema-unusable',
            summary: `${address}: the provider's schema for this type cannot be used, so its properties are not checked before apply.`,
            detail: `${error instanceof Error ? error.message : String(error)}. The server still checks them when the change is sent.`,
            address,
          },
        ];
      }
      this.compiled.set(key, validate);
    }
    if (!validate || validate(properties)) return [];
    return (validate.errors ?? [])
      .filter((error) => !isAboutUnknown(error, properties))
      .map((error) => toDiagnostic(error, address));
  }

  private compilerFor(schema: Record<string, unknown>): Ajv | Ajv2020 {
    if (typeof schema.$schema === 'string' && DRAFT_2020.test(schema.$schema)) {
      this.draft2020 ??= new Ajv2020(OPTIONS);
      return this.draft2020;
    }
    this.draft07 ??= new Ajv(OPTIONS);
    return this.draft07;
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
