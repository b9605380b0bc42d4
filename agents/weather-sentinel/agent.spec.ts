import { AGENT, runProgram, startHub, stopAll } from '../test/helpers';
import type { TestHub } from '../test/test-hub';
import { createWeatherSentinel, type WeatherSentinelOptions } from './agent';

describe('Weather-Sentinel', () => {
  let hub: TestHub;

  beforeEach(async () => {
    hub = await startHub();
  });

  afterEach(async () => {
    await stopAll();
    await hub.stop();
  });

  const ask = async (command: string, args?: string) => {
    const result = await hub.runCommand(AGENT.id, command, args).result;
    if (!result.ok) throw new Error(result.error);
    return JSON.parse(result.result ?? '');
  };

  async function session(options: WeatherSentinelOptions) {
    await runProgram(hub, createWeatherSentinel(options));
    const answers = { current: await ask('current'), forecast: await ask('forecast', '12'), trend: await ask('trend') };
    await stopAll();
    return answers;
  }

  it('answers the same with the same seed', async () => {
    const first = await session({ seed: 1234, reportIntervalMs: 60_000 });
    const second = await session({ seed: 1234, reportIntervalMs: 60_000 });
    expect(second).toEqual(first);
    expect(first.forecast.readings).toHaveLength(12);
    expect(first.forecast.summary).toMatch(/^High [\d.-]+°C at \d\d:\d\d, low/);
    expect(first.trend.temperatureC.direction).toMatch(/rising|falling|steady/);
    expect(hub.logs[0]!.content).toBe('Hive Station online (seed 1234; set WEATHER_SEED=1234 to replay this weather)');
    expect(hub.hellos[0]!.card.commands.every((c) => c.readOnly)).toBe(true);
  });

  it('reports periodically and raises each alert once while it lasts', async () => {
    await runProgram(hub, createWeatherSentinel({ seed: 1, reportIntervalMs: 20, thresholds: { heatC: -100 } }));
    await hub.waitFor(() => hub.logs.filter((l) => l.level === 'INFO').length >= 5, 3_000, 'reports');
    const heat = hub.logs.filter((l) => l.level === 'WARNING' && l.content.includes('Heat alert'));
    expect(heat).toHaveLength(1);
    expect(heat[0]!.content).toMatch(/^Hive Station: Heat alert: [\d.-]+°C$/);
  });

  it('refuses an out-of-range forecast', async () => {
    await runProgram(hub, createWeatherSentinel({ seed: 1 }));
    await expect(hub.runCommand(AGENT.id, 'forecast', '500').result).resolves.toMatchObject({
      ok: false,
      error: 'hours must be a whole number from 1 to 48',
    });
  });
});
