// One tool for each intent kind other than deploy. Their names hold an underscore, which pattern names cannot (they
// are lower-case letters, digits and hyphens), so a user's pattern can never take one of these names.
import type Anthropic from '@anthropic-ai/sdk';
import { z } from 'zod';
import type { IntentContext, KnownDeployment } from '../intent-model.js';
import { checkFields, describeValue, type InputProblem, type Interpretation } from './interpretation.js';
import { inputSchemaOf } from './pattern-tool.js';

export interface IntentTool {
  name: string;
  description: string;
  schema: z.ZodObject;
  /** Turns validated fields into an Intent, with what the context says is wrong (an unknown target, a future time). */
  toIntent(values: Record<string, unknown>, context: IntentContext): Interpretation;
}

const target = z
  .string()
  .min(1)
  .describe(
    'The deployment\'s name, exactly as the context lists it. For "it", "that" or "the server", the deployment the conversation is about.',
  );

const modifyDeployment: IntentTool = {
  name: 'modify_deployment',
  description:
    'Change a deployment that exists or is being planned: new values for some of its pattern parameters ("bump it to 8 GB", "actually use VLAN 21", "make it private", "scale shop to 4 instances"). The context lists each deployment with its pattern and parameters; use those parameter names. Conductor plans the change and shows it for review.',
  schema: z.object({
    target,
    changes: z
      .record(z.string(), z.unknown())
      .describe(
        'Only the parameters the request changes, by parameter name, with their new values in the schema\'s units, e.g. {"memoryGb": 8}.',
      ),
  }),
  toIntent(values, context) {
    const changes = (values.changes ?? {}) as Record<string, unknown>;
    const problems = targetProblems(values.target, context);
    if (values.changes !== undefined && Object.keys(changes).length === 0) {
      problems.push({
        field: 'changes',
        message: 'changes is empty: give each parameter to change with its new value.',
      });
    }
    problems.push(...changeProblems(values.target, changes, context));
    return {
      intent: {
        kind: 'modify',
        ...(values.target !== undefined ? { target: values.target as string } : {}),
        ...(values.changes !== undefined ? { changes } : {}),
      },
      problems,
    };
  },
};

const destroyDeployment: IntentTool = {
  name: 'destroy_deployment',
  description:
    'Remove a deployment and everything it created ("tear down the minecraft server", "delete shop"). Conductor shows what will be deleted and asks before anything is removed.',
  schema: z.object({ target }),
  toIntent(values, context) {
    return {
      intent: {
        kind: 'destroy',
        ...(values.target !== undefined ? { target: values.target as string } : {}),
      },
      problems: targetProblems(values.target, context),
    };
  },
};

const answerQuery: IntentTool = {
  name: 'answer_query',
  description:
    'Answer a question about what exists: deployments, what runs where, addresses, hostnames, ports, VLANs ("what runs on VLAN 20?", "which deployments do I have?", "what is the IP of the minecraft server?"). Nothing is changed.',
  schema: z.object({
    question: z
      .string()
      .min(1)
      .describe(
        'The question as one sentence that makes sense without the conversation (name the deployment).',
      ),
  }),
  toIntent(values) {
    return {
      intent: {
        kind: 'query',
        ...(values.question !== undefined ? { question: values.question as string } : {}),
      },
      problems: [],
    };
  },
};

const troubleshootDeployment: IntentTool = {
  name: 'troubleshoot_deployment',
  description:
    'Check a deployment that does not work as expected ("I can\'t reach the minecraft server", "why is shop down?", "the DNS name does not resolve"). Conductor runs read-only checks and reports what it finds and the fix it would propose.',
  schema: z.object({
    target: target.optional(),
    symptom: z.string().min(1).describe("What is wrong, in the user's words."),
  }),
  toIntent(values, context) {
    return {
      intent: {
        kind: 'troubleshoot',
        ...(values.target !== undefined ? { target: values.target as string } : {}),
        ...(values.symptom !== undefined ? { symptom: values.symptom as string } : {}),
      },
      problems: targetProblems(values.target, context),
    };
  },
};

const restoreDeployment: IntentTool = {
  name: 'restore_deployment',
  description:
    'Return a deployment to how it was at an earlier time ("restore minecraft to how it was yesterday", "undo this morning\'s changes to shop"). Conductor plans the return and shows it for review like any change.',
  schema: z.object({
    target: target.optional(),
    at: z.iso
      .datetime({ offset: true })
      .describe(
        'The time to return to: an ISO 8601 timestamp with a time zone, e.g. 2026-05-01T09:00:00Z, worked out from the current time in the context ("yesterday" is 24 hours before it).',
      ),
  }),
  toIntent(values, context) {
    const problems = targetProblems(values.target, context);
    let at: string | undefined;
    if (typeof values.at === 'string') {
      const time = new Date(values.at);
      at = time.toISOString();
      const now = context.now ?? new Date();
      if (time.getTime() > now.getTime()) {
        problems.push({
          field: 'at',
          message: `at: ${values.at} is later than the current time ${now.toISOString()}; a restore goes back in time.`,
        });
      }
    }
    return {
      intent: {
        kind: 'restore',
        ...(values.target !== undefined ? { target: values.target as string } : {}),
        ...(at !== undefined ? { at } : {}),
      },
      problems,
    };
  },
};

const unsupportedRequest: IntentTool = {
  name: 'unsupported_request',
  description:
    'Use when no other tool fits: the request is not about infrastructure Conductor manages, asks for something no pattern deploys, or is not a request at all. Say why in one sentence.',
  schema: z.object({
    reason: z
      .string()
      .min(1)
      .describe('Why Conductor cannot do this, in one sentence addressed to the user.'),
  }),
  toIntent(values) {
    return {
      intent: {
        kind: 'unsupported',
        ...(values.reason !== undefined ? { notes: [values.reason as string] } : {}),
      },
      problems: [],
    };
  },
};

/** In the order the tools are sent, after the pattern tools. */
export const INTENT_TOOLS: readonly IntentTool[] = [
  modifyDeployment,
  destroyDeployment,
  answerQuery,
  troubleshootDeployment,
  restoreDeployment,
  unsupportedRequest,
];

export function intentToolDefinition(tool: IntentTool): Anthropic.Tool {
  return {
    name: tool.name,
    description: tool.description,
    input_schema: inputSchemaOf(tool.schema, tool.name),
  };
}

export function interpretIntentCall(
  tool: IntentTool,
  input: unknown,
  context: IntentContext,
): Interpretation {
  const checked = checkFields(tool.schema, input, tool.name);
  const interpreted = tool.toIntent(checked.values, context);
  return { intent: interpreted.intent, problems: [...checked.problems, ...interpreted.problems] };
}

function knownDeployments(context: IntentContext): KnownDeployment[] {
  const known = [...context.deployments];
  if (context.focus && !known.some((deployment) => deployment.name === context.focus?.name))
    known.push(context.focus);
  return known;
}

function targetProblems(name: unknown, context: IntentContext): InputProblem[] {
  if (typeof name !== 'string') return [];
  const known = knownDeployments(context);
  if (known.length === 0 || known.some((deployment) => deployment.name === name)) return [];
  return [
    {
      field: 'target',
      message: `There is no deployment named "${name}"; the deployments are ${known.map((deployment) => `"${deployment.name}"`).join(', ')}.`,
    },
  ];
}

/** Changes checked against the target's pattern, when the context says which pattern made it. */
function changeProblems(
  name: unknown,
  changes: Record<string, unknown>,
  context: IntentContext,
): InputProblem[] {
  const deployment = knownDeployments(context).find((entry) => entry.name === name);
  const pattern = deployment?.pattern
    ? context.patterns.find((entry) => entry.name === deployment.pattern)
    : undefined;
  if (!pattern) return [];
  const shape = pattern.params.shape as Record<string, z.ZodType>;
  const problems: InputProblem[] = [];
  for (const [param, value] of Object.entries(changes)) {
    const field = shape[param];
    if (!field || !Object.hasOwn(shape, param)) {
      problems.push({
        field: `changes.${param}`,
        message: `"${param}" is not a parameter of ${pattern.name} (its parameters are ${Object.keys(shape).join(', ')}).`,
      });
      continue;
    }
    const checked = field.safeParse(value);
    if (!checked.success) {
      problems.push({
        field: `changes.${param}`,
        message: `changes.${param}: ${describeValue(value)} is not valid (${checked.error.issues[0]?.message ?? 'invalid'}).`,
      });
    }
  }
  return problems;
}
