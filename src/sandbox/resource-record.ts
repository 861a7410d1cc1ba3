// What a sandbox server holds for one resource. Properties are kept as the caller gave them (after validation), so a
// read returns exactly what was asked for and drift detection compares like with like; outputs are what the simulated
// system computed (ids, addresses, ARNs).

export type PropertyMap = Record<string, unknown>;

export interface SandboxRecord {
  id: string;
  type: string;
  name: string;
  properties: PropertyMap;
  outputs: PropertyMap;
  createdAt: string;
  updatedAt: string;
}
