import { exitWhenDone, runFromArgs } from '../fleet/standalone';
import type { ProgramConfig } from '../fleet/program-config';
import { createCodeReviewer } from './agent';
import { llmConfigFromEnv } from './llm';

export { createCodeReviewer };

/** Env: AGENT_LLM_BASE_URL / AGENT_LLM_API_KEY / AGENT_LLM_MODEL, falling back to BUTLER_*. */
export function fromConfig(config: ProgramConfig) {
  return createCodeReviewer({ llm: llmConfigFromEnv(config.env) });
}

if (require.main === module) exitWhenDone(runFromArgs('code-reviewer-ai', fromConfig, process.argv.slice(2)));
