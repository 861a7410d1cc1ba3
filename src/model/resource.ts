// Resources and deployments: the desired state a pattern or a file describes.
import { z } from 'zod';
import { formatAddress, resourceTypeSchema, segmentSchema } from './address.js';

export const propertiesSchema = z.record(z.string(), z.unknown());

export const resourceSchema = z.object({
  /** The MCP server that owns the resource, as named in config (`opnsense`, `docker`, `aws`, ...). */
  server: segmentSchema,
  /** The type without the server prefix: `network:vlan`, not `opnsense:network:vlan`. */
  type: resourceTypeSchema,
  /** Unique per server. */
  name: segmentSchema,
  properties: propertiesSchema,
  /** Bare names (same server) or addresses (`aws:acm:certificate:web-cert`, type optional). */
  dependsOn: z.array(z.string()),
  tags: z.record(z.string(), z.string()).optional(),
  /** Property paths whose values are secrets: masked in review, never logged or sent to a model. */
  sensitive: z.array(z.string()).optional(),
});
export type Resource = z.infer<typeof resourceSchema>;

export const deploymentSchema = z.object({
  name: segmentSchema,
  description: z.string().optional(),
  /** Values for `${var.name}` references. */
  variables: z.record(z.string(), z.unknown()).optional(),
  resources: z.array(resourceSchema),
});
export type Deployment = z.infer<typeof deploymentSchema>;

export function resourceAddress(resource: Pick<Resource, 'server' | 'type' | 'name'>): string {
  return formatAddress(resource);
}
