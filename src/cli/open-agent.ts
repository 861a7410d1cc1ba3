// What chat and the one-shot request commands share: config and state (through the infrastructure), the pattern
// catalog with the user's own patterns, the intent model, and the audit log.
import { chooseIntentModel } from '../agent/choose-model.js';
import type { IntentModel } from '../agent/intent-model.js';
import { loadPatternCatalog, type PatternCatalog } from '../agent/pattern-catalog.js';
import type { SessionOptions } from '../agent/session.js';
import { conductorHome } from '../config/config.js';
import { appendAudit } from '../state/audit-log.js';
import { AgentInfrastructure, type AgentInfrastructureOptions } from './agent-infrastructure.js';
import type { CliIo, CliServices } from './main.js';

export interface OpenedAgent {
  infrastructure: AgentInfrastructure;
  catalog: PatternCatalog;
  model: IntentModel;
  /** Which model understands requests, and why. */
  notice: string;
  audit: NonNullable<SessionOptions['audit']>;
  close(): Promise<void>;
}

export async function openAgent(
  options: AgentInfrastructureOptions & { model?: string },
  io: CliIo,
  services: CliServices,
): Promise<OpenedAgent> {
  const infrastructure = await AgentInfrastructure.open(options, io, services);
  try {
    const catalog = await loadPatternCatalog({ config: infrastructure.config, env: io.env });
    for (const diagnostic of catalog.diagnostics) {
      io.stderr(`${diagnostic.severity}: ${diagnostic.summary}\n  ${diagnostic.detail}\n`);
    }
    const chosen = await chooseIntentModel({
      ...(options.model ? { flag: options.model } : {}),
      config: infrastructure.config.config,
      env: io.env,
    });
    const home = conductorHome(io.env);
    return {
      infrastructure,
      catalog,
      model: chosen.model,
      notice: chosen.notice,
      audit: async (entry) => {
        await appendAudit(home, entry);
      },
      close: () => infrastructure.close(),
    };
  } catch (error) {
    await infrastructure.close();
    throw error;
  }
}
