import { TOOL_DEFINITIONS, TOOL_NAMES, isToolName } from './tool-definitions';

describe('the Butler tool list', () => {
  it('defines exactly the listed tools, in order', () => {
    expect(TOOL_DEFINITIONS.map((t) => (t as { function: { name: string } }).function.name)).toEqual([...TOOL_NAMES]);
  });

  it('knows a model-sent name only when it is listed', () => {
    expect(isToolName('ask_agent')).toBe(true);
    for (const name of ['ASK_AGENT', 'ask_butler', 'toString', '__proto__', '']) expect(isToolName(name)).toBe(false);
  });
});
