import { parseArgs, parsePairs } from './mcp-server-lines';

describe('the Add MCP server form lines', () => {
  it('reads one argument per line, keeping spaces inside a line (paths)', () => {
    expect(parseArgs('-y\n @modelcontextprotocol/server-filesystem \n\n/srv/My Share\n')).toEqual([
      '-y',
      '@modelcontextprotocol/server-filesystem',
      '/srv/My Share',
    ]);
  });

  it('reads NAME=value and Name: value pairs, values may contain the separator', () => {
    expect(parsePairs('API_KEY=abc=def\n\nREGION = eu', '=')).toEqual({
      ok: true,
      value: { API_KEY: 'abc=def', REGION: 'eu' },
    });
    expect(parsePairs('Authorization: Bearer a:b', ':')).toEqual({ ok: true, value: { Authorization: 'Bearer a:b' } });
  });

  it('names the first line that is not a pair', () => {
    expect(parsePairs('GOOD=1\nnot a pair', '=')).toEqual({ ok: false, line: 'not a pair' });
    expect(parsePairs('=value', '=')).toEqual({ ok: false, line: '=value' });
    expect(parsePairs('Two Words: x', ':')).toEqual({ ok: false, line: 'Two Words: x' });
  });
});
