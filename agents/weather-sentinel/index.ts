import { exitWhenDone, runFromArgs } from '../fleet/standalone';
import { numberOption, option, type ProgramConfig } from '../fleet/program-config';
import { createWeatherSentinel } from './agent';
import { seedFrom } from './prng';

export { createWeatherSentinel };

/** Flags / env: --seed WEATHER_SEED (number or any text), --station, --report-interval-ms. */
export function fromConfig(config: ProgramConfig) {
  const seed = option(config, 'seed', 'WEATHER_SEED');
  return createWeatherSentinel({
    seed: seed === undefined ? undefined : seedFrom(seed),
    station: option(config, 'station', 'WEATHER_STATION'),
    reportIntervalMs: numberOption(config, 'report-interval-ms', 'WEATHER_REPORT_INTERVAL_MS'),
  });
}

if (require.main === module) exitWhenDone(runFromArgs('weather-sentinel', fromConfig, process.argv.slice(2)));
