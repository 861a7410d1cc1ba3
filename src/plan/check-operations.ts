// Steps a provider cannot carry out, said in the review before anything is applied: a create or update the server has
// no tool for is an error; a delete it cannot do means the resource remains (destroy) and a create it could not undo
// means a failed apply cannot be rolled back completely. Both are warnings that say what will remain.
import type { Diagnostic } from '../model/diagnostic.js';
import type { Plan } from '../model/plan.js';
import type { TypeCatalog } from '../model/type-catalog.js';

export function checkOperations(plan: Plan, types: TypeCatalog): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const step of plan.steps) {
    if (step.action === 'same') continue;
    const operations = types.describe(step.server, step.type)?.operations;
    if (!operations) continue;
    const why = (operation: 'create' | 'update' | 'delete') =>
      operations.missing?.[operation] ??
      `Server "${step.server}" cannot ${operation} ${step.type} resources.`;
    const needsCreate = step.action === 'create' || step.action === 'replace';
    if (needsCreate && !operations.create) diagnostics.push(error(step.address, 'create', why('create')));
    if (step.action === 'update' && !operations.update)
      diagnostics.push(error(step.address, 'update', why('update')));
    if (operations.delete) continue;
    if (step.action === 'delete' || step.action === 'replace')
      diagnostics.push({
        severity: 'warning',
        code: 'delete-unsupported',
        summary: `${step.address} cannot be deleted by "${step.server}": it will remain after this ${step.action}.`,
        detail: `${why('delete')} Remove it by hand if it should go; state stops tracking it only when it is really gone.`,
        address: step.address,
      });
    else if (step.action === 'create')
      diagnostics.push({
        severity: 'warning',
        code: 'rollback-limited',
        summary: `${step.address} could not be undone if this apply fails: "${step.server}" cannot delete it.`,
        detail: `${why('delete')} If the apply fails after creating it, the rollback reports it as left behind.`,
        address: step.address,
      });
  }
  return diagnostics;
}

function error(address: string, operation: string, why: string): Diagnostic {
  return {
    severity: 'error',
    code: `${operation}-unsupported`,
    summary: `${address} needs a ${operation} that its server cannot do.`,
    detail: `${why} Use a server (or adapter) that supports it, or change the deployment.`,
    address,
  };
}
