import OpenAI from 'openai';
import type { Sample } from './operator';
import { spreadStart } from './stats';

/**
 * The baseline: the same closed loop without the hub. N callers stream completions from the same fake
 * model through the same `openai` SDK (one shared client, as in the hub), each with a prompt of the
 * size a Butler turn sends. What the hub adds on top of this is its own cost.
 */
export async function directCallers(
  modelUrl: string,
  n: number,
  opts: { stopAt: number; latencyMs: number; timeoutMs: number },
): Promise<{ samples: Sample[]; failures: number }> {
  const client = new OpenAI({ baseURL: modelUrl, apiKey: 'none', maxRetries: 0, timeout: opts.timeoutMs });
  const system = `You are the Butler of EchoCenter. ${'Fleet line. '.repeat(120)}`;
  const samples: Sample[] = [];
  let failures = 0;
  const caller = async (i: number) => {
    await new Promise((r) => setTimeout(r, spreadStart(i, n, opts.latencyMs)));
    for (let k = 0; Date.now() < opts.stopAt; k++) {
      const wall = Date.now();
      const started = performance.now();
      try {
        const stream = await client.chat.completions.create({
          model: 'fake-butler',
          stream: true,
          messages: [
            { role: 'system', content: system },
            { role: 'user', content: `request ${k} from caller ${i}: how is the fleet doing?` },
          ],
        });
        let text = '';
        for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
        if (!text) throw new Error('empty answer');
        samples.push({ sentAt: wall, latencyMs: performance.now() - started });
      } catch {
        failures++;
      }
    }
  };
  await Promise.all(Array.from({ length: n }, (_, i) => caller(i)));
  return { samples, failures };
}
