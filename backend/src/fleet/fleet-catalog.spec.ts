import { opsRunnerOnlyWithNodes } from './fleet.service';

describe('the demo fleet and the Ops-Runner', () => {
  const catalog = {
    FLEET_AGENTS: ['echo-bot', 'ops-runner'],
    FLEET_DESCRIPTIONS: {},
    FLEET_ADMIN_CONFIRMS: ['ops-runner'],
  };

  it('launches the Ops-Runner only when the inventory has a node', () => {
    expect(opsRunnerOnlyWithNodes(catalog, false).FLEET_AGENTS).toEqual(['echo-bot']);
    expect(opsRunnerOnlyWithNodes(catalog, true).FLEET_AGENTS).toEqual(['echo-bot', 'ops-runner']);
  });
});
