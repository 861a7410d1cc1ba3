// One-shot requests: `conductor plan "TEXT"` and `conductor apply "TEXT" [--yes]`. The same session as the chat, with
// no questions asked back: a request that leaves out something required says what is missing and exits 2.
import { ConversationSession, type ConversationUi, type TurnStatus } from '../agent/session.js';
import { redactPlan } from '../review/redact.js';
import { renderPlan } from '../review/render-plan.js';
import type { AgentInfrastructureOptions } from './agent-infrastructure.js';
import { askApproval } from './approval.js';
import { EXIT } from './exit-codes.js';
import type { CliIo, CliServices } from './main.js';
import { openAgent } from './open-agent.js';

export interface RequestCommandOptions extends AgentInfrastructureOptions {
  text: string;
  mode: 'plan' | 'apply';
  model?: string;
  json?: boolean;
}

export async function requestCommand(
  options: RequestCommandOptions,
  io: CliIo,
  services: CliServices,
): Promise<number> {
  const agent = await openAgent(options, io, services);
  try {
    io.stderr(`${agent.notice}\n`);
    const ui: ConversationUi = {
      // With --json, stdout carries only the plan; everything said goes to stderr.
      say: (text) => (options.json ? io.stderr : io.stdout)(`${text.replace(/\n$/, '')}\n`),
      review: (plan) =>
        io.stdout(
          options.json
            ? `${JSON.stringify(redactPlan(plan), null, 2)}\n`
            : renderPlan(plan, { color: options.color }),
        ),
      // One-shot: nobody to answer a question; the session then says what is missing.
      ask: async () => undefined,
      approve: async (plan, { verb, canApply }) => {
        if (!canApply) {
          io.stderr(
            'Refused: a mandatory policy blocks this plan. Change the request, or accept the violation with --override-policy ID --reason TEXT (recorded in the audit log).\n',
          );
          return 'later';
        }
        if (options.mode === 'plan') {
          if (!options.json) io.stdout(`\nTo apply it: conductor apply ${quote(options.text)}\n`);
          return 'later';
        }
        const approval = await askApproval({
          yes: options.yes,
          question: `\nDo you want to ${verb} these changes to "${plan.deployment}"?`,
        });
        if (approval === 'approved') return 'apply';
        if (approval === 'no-terminal') {
          io.stderr(
            'Refused: approval is required and there is no terminal to ask in. Review the plan above and re-run with --yes to approve it.\n',
          );
          return 'no-terminal';
        }
        return 'cancel';
      },
    };
    const session = new ConversationSession({
      model: agent.model,
      catalog: agent.catalog,
      infrastructure: agent.infrastructure,
      ui,
      audit: agent.audit,
      command: options.mode,
      ...(options.overrides?.length ? { overrides: options.overrides } : {}),
      approvedByFlag: options.yes,
    });
    const outcome = await session.handle(options.text);
    return exitCodeFor(outcome.status);
  } finally {
    await agent.close();
  }
}

export function exitCodeFor(status: TurnStatus): number {
  switch (status) {
    case 'applied':
    case 'planned':
    case 'pending':
    case 'answered':
    case 'nothing-to-do':
      return EXIT.ok;
    case 'failed':
      return EXIT.failure;
    case 'invalid':
    case 'needs-input':
    case 'unsupported':
      return EXIT.usage;
    default:
      return EXIT.refused;
  }
}

function quote(text: string): string {
  return `"${text.replace(/(["\\$`])/g, '\\$1')}"`;
}
