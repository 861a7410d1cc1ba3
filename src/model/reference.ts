// References link resources: `${server:type:name.output.path}` or `${var.name}` inside property values.
import { z } from 'zod';

export const outputPathSchema = z.array(z.union([z.string(), z.number().int().nonnegative()]));
export type OutputPath = z.infer<typeof outputPathSchema>;

export const resourceReferenceSchema = z.object({
  kind: z.literal('resource'),
  /** As written, e.g. `${aws:ec2:web-server.privateIp}`. */
  expression: z.string(),
  server: z.string(),
  /** The type segments as written (possibly abbreviated or an alias); absent in `${server:name.output}`. */
  typeHint: z.string().optional(),
  name: z.string(),
  output: outputPathSchema,
});
export type ResourceReference = z.infer<typeof resourceReferenceSchema>;

export const variableReferenceSchema = z.object({
  kind: z.literal('variable'),
  expression: z.string(),
  name: z.string(),
  /** Path inside the variable's value, for structured variables. */
  output: outputPathSchema,
});
export type VariableReference = z.infer<typeof variableReferenceSchema>;

export const referenceSchema = z.discriminatedUnion('kind', [
  resourceReferenceSchema,
  variableReferenceSchema,
]);
export type Reference = z.infer<typeof referenceSchema>;

/** A string split into literal text and references. A single reference with no text around it keeps its type. */
export interface Template {
  parts: Array<string | Reference>;
}
