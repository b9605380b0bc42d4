import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { ProgressRouter } from './progress-router';

describe('ProgressRouter', () => {
  it('delivers our tokens at once and passes everything else on, in order', () => {
    const passed: JSONRPCMessage[] = [];
    const transport = { onmessage: (m: JSONRPCMessage) => void passed.push(m) } as unknown as Transport;
    const router = new ProgressRouter();
    router.attach(transport);
    const seen: string[] = [];
    const { token, release } = router.open((p) => seen.push(`${p.progress}/${p.total}`));

    const progress = (progressToken: string, n: number): JSONRPCMessage => ({
      jsonrpc: '2.0',
      method: 'notifications/progress',
      params: { progressToken, progress: n, total: 4 },
    });
    const response: JSONRPCMessage = { jsonrpc: '2.0', id: 1, result: { content: [] } };
    transport.onmessage!(progress(token, 4));
    transport.onmessage!(response);
    transport.onmessage!(progress('someone-else', 1));
    expect(seen).toEqual(['4/4']);
    expect(passed).toEqual([response, progress('someone-else', 1)]);

    release();
    transport.onmessage!(progress(token, 5));
    expect(seen).toEqual(['4/4']);
    expect(passed).toHaveLength(3);
  });
});
