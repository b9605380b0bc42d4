/**
 * What one endpoint+model turned out to support, learnt from its refusals and kept for the life of the
 * process (per node: each node learns on its first refused request). `undefined` means not known yet:
 * the Butler tries and remembers a refusal.
 */
export interface ModelCapabilities {
  tools?: boolean;
  streaming?: boolean;
  /** `stream_options: { include_usage: true }` accepted. */
  streamUsage?: boolean;
}

const known = new Map<string, ModelCapabilities>();

/** The (mutable) record for one endpoint and model. */
export function capabilitiesOf(baseUrl: string, model: string): ModelCapabilities {
  const key = `${baseUrl.replace(/\/+$/, '')}\n${model}`;
  let caps = known.get(key);
  if (!caps) known.set(key, (caps = {}));
  return caps;
}

/** Whether the Butler's model gets tools: the setting decides, 'auto' asks what the model showed. */
export function modelToolsState(butler: {
  baseUrl: string | null;
  model: string | null;
  tools: 'auto' | 'on' | 'off';
}): boolean | null {
  if (butler.tools !== 'auto') return butler.tools === 'on';
  if (!butler.baseUrl || !butler.model) return null;
  return capabilitiesOf(butler.baseUrl, butler.model).tools ?? null;
}
