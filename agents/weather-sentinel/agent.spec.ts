import { AGENT, runProgram, startHub, stopAll } from '../test/helpers';
import type { TestHub } from '../test/test-hub';
import { createWeatherSentinel, type WeatherSentinelOptions } from './agent';
import { weatherQuestion } from './questions';

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

  it('answers questions in words without a model: rain and forecast from its forecast, temperature from now', async () => {
    await runProgram(hub, createWeatherSentinel({ seed: 7, reportIntervalMs: 60_000 }));
    const chat = async (text: string) => {
      const before = hub.messages.filter((m) => m.senderId === AGENT.id).length;
      hub.sendChat(AGENT.id, text);
      const replies = await hub.waitFor(
        () => {
          const all = hub.messages.filter((m) => m.senderId === AGENT.id);
          return all.length > before ? all : undefined;
        },
        2_000,
        'reply',
      );
      return replies[replies.length - 1]!.text;
    };
    const forecast = (await ask('forecast', '12')) as { readings: { condition: string; at: string }[] };
    const wet = forecast.readings.filter((r) => r.condition === 'rain' || r.condition === 'storm');
    const rain = await chat('Is it going to rain?');
    if (wet.length)
      expect(rain).toMatch(new RegExp(`^Yes, rain.* likely at Hive Station: from ${wet[0]!.at.slice(11, 16)}`));
    else expect(rain).toMatch(/^No rain expected at Hive Station in the next 12 hours\. High/);
    expect(await chat("what's the forecast for tonight?")).toMatch(
      /^Next 12 hours at Hive Station: High .*; conditions: /,
    );
    expect(await chat('How warm is it?')).toMatch(
      /^Now at Hive Station \(\d\d:\d\d\): [\d.-]+°C, \w+, [\d.]+% humidity/,
    );
    expect(await chat('what is love?')).toMatch(/I don't understand that\. Try "help"/);
  });

  it('words a wet and a dry forecast, and leaves other questions to the hint', () => {
    const reading = (at: string, condition: string) => ({
      at: `2025-06-01T${at}:00.000Z`,
      condition,
      humidityPct: 90,
      pressureHpa: 990,
    });
    const forecast = (...readings: object[]) =>
      JSON.stringify({
        station: 'S',
        hours: readings.length,
        summary: 'High 20°C at 14:00, low 12°C at 05:00',
        readings,
      });
    const rain = weatherQuestion('will it rain later?')!;
    expect(rain).toMatchObject({ command: 'forecast', args: '12' });
    expect(rain.words(forecast(reading('10:00', 'clear'), reading('11:00', 'rain'), reading('12:00', 'storm')))).toBe(
      'Yes, rain and storms likely at S: from 11:00 (2 of the next 3 hours wet, 90% humidity, 990 hPa). High 20°C at 14:00, low 12°C at 05:00.',
    );
    expect(rain.words(forecast(reading('10:00', 'clear')))).toBe(
      'No rain expected at S in the next 1 hours. High 20°C at 14:00, low 12°C at 05:00.',
    );
    expect(weatherQuestion('How hot is it?')).toMatchObject({ command: 'current' });
    expect(weatherQuestion('tell me a joke')).toBeUndefined();
  });

  it('refuses an out-of-range forecast', async () => {
    await runProgram(hub, createWeatherSentinel({ seed: 1 }));
    await expect(hub.runCommand(AGENT.id, 'forecast', '500').result).resolves.toMatchObject({
      ok: false,
      error: 'hours must be a whole number from 1 to 48',
    });
  });
});
