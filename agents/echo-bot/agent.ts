import type { AgentProgram } from '../sdk';
import { sleep } from '../sdk';

export interface EchoBotOptions {
  /** How often the bot reports that it is alive. Default 60 s. */
  heartbeatMs?: number;
  /** Pause between streamed pieces, so streaming is visible in the console. Default 150 ms. */
  stepMs?: number;
}

const MAX_COUNT = 100;

/** Echo-Bot: answers with what it was given, to test the whole loop (commands, streaming, chat). */
export function createEchoBot({ heartbeatMs = 60_000, stepMs = 150 }: EchoBotOptions = {}): AgentProgram {
  return {
    card: {
      description: 'Echoes what it is given, for testing the loop end to end.',
      version: '1.0.0',
      commands: [
        { name: 'echo', args: '<text>', description: 'Returns the text unchanged.', readOnly: true },
        {
          name: 'count',
          args: '<n>',
          description: `Counts from 1 to n (at most ${MAX_COUNT}), streaming each number; cancellable.`,
          readOnly: true,
        },
      ],
    },
    start(agent) {
      let served = 0;
      agent.onCommand('echo', (args) => {
        served += 1;
        return args;
      });
      agent.onCommand('count', async (args, ctx) => {
        const n = Number.parseInt(args, 10);
        if (!Number.isInteger(n) || n < 1 || n > MAX_COUNT)
          throw new Error(`count needs a number from 1 to ${MAX_COUNT}`);
        for (let i = 1; i <= n && !ctx.signal.aborted; i++) {
          ctx.stream(`${i}`);
          await sleep(stepMs, ctx.signal);
        }
        served += 1;
        return `counted to ${n}`;
      });
      agent.onChat(async (text, ctx) => {
        served += 1;
        // Word by word, so an operator sees the stream arrive.
        const words = `Echo: ${text}`.split(/(?<=\s)/);
        for (const word of words) {
          ctx.stream(word);
          await sleep(stepMs / 3);
        }
      });
      agent.log('SUCCESS', 'Echo-Bot online and listening');
      const heartbeat = setInterval(() => agent.log('INFO', `Echo-Bot alive, ${served} echoes served`), heartbeatMs);
      return () => clearInterval(heartbeat);
    },
  };
}
