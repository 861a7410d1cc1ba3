// What state remembers about an applied resource, and the read side of state the planner needs.
import { z } from 'zod';
import { propertiesSchema } from './resource.js';

export const resourceRecordSchema = z.object({
  address: z.string(),
  server: z.string(),
  type: z.string(),
  name: z.string(),
  /** The deployment that created and owns the resource. */
  deployment: z.string(),
  /** The provider's own id (what read/update/delete are called with). */
  id: z.string().optional(),
  /** Properties as they were sent to the provider: references resolved. */
  properties: propertiesSchema,
  /** Values the provider returned (`device`, `privateIp`, `arn`, ...). */
  outputs: propertiesSchema,
  /** Addresses this resource depended on when it was applied: deletes run in the reverse order. */
  dependsOn: z.array(z.string()),
  sensitive: z.array(z.string()).optional(),
  createdAt: z.string().optional(),
  updatedAt: z.string().optional(),
});
export type ResourceRecord = z.infer<typeof resourceRecordSchema>;

export interface ServerName {
  server: string;
  name: string;
}

/** Read access to current state. The planner needs no more; the store in src/state implements it. */
export interface StateReader {
  /** Every resource the deployment owns. */
  resourcesOf(deployment: string): Promise<ResourceRecord[]>;
  /** Resources by server + name (names are unique per server), whichever deployment owns them. */
  findByName(keys: readonly ServerName[]): Promise<Array<ResourceRecord | undefined>>;
  /** All resource names on a server, for "did you mean" suggestions. */
  namesOn(server: string): Promise<string[]>;
  /** Records that depend on any of `addresses` (their dependsOn names one): what a delete would break. */
  dependentsOf?(addresses: readonly string[]): Promise<ResourceRecord[]>;
}
