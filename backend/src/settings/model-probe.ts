import { openaiSdk } from '../butler/brain/openai-sdk';
import type { TestModelResponse } from '@echocenter/contracts';
import { probeCapabilities } from './model-capability-probe';

const PROBE_TIMEOUT_MS = 10_000;
const MAX_MODELS = 500;

/**
 * "Test the model connection": lists the endpoint's models with the same SDK the Butler uses, so a
 * success here means the Butler can reach it too; then, for a listed model, what it supports (streaming,
 * tools, usage in the stream: model-capability-probe.ts). Failures are an answer (ok:false), not an HTTP error:
 * the request itself worked, the endpoint did not.
 */
export async function probeModelEndpoint(
  baseUrl: string,
  apiKey: string | null,
  model: string | null,
): Promise<TestModelResponse> {
  const client = new (openaiSdk())({
    baseURL: baseUrl,
    apiKey: apiKey ?? 'none',
    maxRetries: 0,
    timeout: PROBE_TIMEOUT_MS,
  });
  try {
    const models: string[] = [];
    for await (const m of client.models.list()) {
      models.push(m.id);
      if (models.length >= MAX_MODELS) break;
    }
    const modelFound = model ? models.includes(model) : null;
    if (!model || !modelFound) return { ok: true, models, modelFound, capabilities: null };
    try {
      return { ok: true, models, modelFound, capabilities: await probeCapabilities(client, model, PROBE_TIMEOUT_MS) };
    } catch (err) {
      return { ok: true, models, modelFound, capabilities: null, capabilitiesError: scrub(describe(err), apiKey) };
    }
  } catch (err) {
    return { ok: false, error: scrub(describe(err), apiKey) };
  }
}

function describe(err: unknown): string {
  const OpenAI = openaiSdk();
  if (err instanceof OpenAI.APIConnectionTimeoutError) return `no answer within ${PROBE_TIMEOUT_MS / 1000} s`;
  if (err instanceof OpenAI.APIConnectionError) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    return `cannot connect${cause?.code ? ` (${cause.code})` : cause?.message ? ` (${cause.message})` : ''}`;
  }
  if (err instanceof OpenAI.AuthenticationError) return `the endpoint refused the API key (${err.status})`;
  if (err instanceof OpenAI.APIError) return err.message || `HTTP ${err.status}`;
  return err instanceof Error ? err.message : String(err);
}

/** Some endpoints echo (part of) the key in their error text; it must not reach the console. */
function scrub(message: string, apiKey: string | null): string {
  let out = message;
  if (apiKey && apiKey.length >= 4) out = out.split(apiKey).join('••••');
  return out.replace(/\b(sk|key)-[A-Za-z0-9_*-]{6,}/g, '••••').slice(0, 500);
}
