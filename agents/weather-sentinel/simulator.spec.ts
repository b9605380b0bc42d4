import { alertsFor, DEFAULT_THRESHOLDS, trendOf } from './analysis';
import { Prng, seedFrom } from './prng';
import { WeatherSimulator, type Reading } from './simulator';

const run = (seed: number, hours: number): Reading[] => {
  const simulator = new WeatherSimulator(new Prng(seed));
  return Array.from({ length: hours }, () => simulator.step());
};

describe('weather simulation', () => {
  it('replays exactly with the same seed and differs with another', () => {
    expect(run(42, 200)).toEqual(run(42, 200));
    expect(run(43, 200)).not.toEqual(run(42, 200));
    expect(seedFrom('berlin')).toBe(seedFrom('berlin'));
    expect(seedFrom('1234')).toBe(1234);
  });

  it('stays within plausible ranges and has alerts now and then', () => {
    const readings = run(7, 1_000);
    for (const r of readings) {
      expect(r.temperatureC).toBeGreaterThan(-10);
      expect(r.temperatureC).toBeLessThan(50);
      expect(r.humidityPct).toBeGreaterThanOrEqual(5);
      expect(r.humidityPct).toBeLessThanOrEqual(100);
      expect(r.windKph).toBeGreaterThanOrEqual(0);
    }
    const alerted = readings.filter((_r, i) => alertsFor(readings.slice(0, i + 1), DEFAULT_THRESHOLDS).size > 0);
    expect(alerted.length).toBeGreaterThan(0);
    expect(alerted.length).toBeLessThan(readings.length / 4);
  });

  it('forecasts on a copy, without advancing the station', () => {
    const simulator = new WeatherSimulator(new Prng(5));
    const forecast = simulator.forecast(6);
    expect(simulator.forecast(6)).toEqual(forecast);
    expect(Array.from({ length: 6 }, () => simulator.step())).toEqual(forecast);
  });

  it('computes trends by least squares', () => {
    const base: Reading = {
      at: '',
      temperatureC: 10,
      humidityPct: 50,
      windKph: 10,
      pressureHpa: 1000,
      condition: 'clear',
    };
    const readings = [0, 1, 2, 3].map((h) => ({ ...base, temperatureC: 10 + h, pressureHpa: 1000 - 2 * h }));
    expect(trendOf(readings)).toMatchObject({
      temperatureC: { direction: 'rising', perHour: 1 },
      pressureHpa: { direction: 'falling', perHour: -2 },
      windKph: { direction: 'steady', perHour: 0 },
    });
  });

  it('raises a pressure alert on a fast fall over three hours', () => {
    const base: Reading = {
      at: '',
      temperatureC: 20,
      humidityPct: 50,
      windKph: 10,
      pressureHpa: 1013,
      condition: 'clear',
    };
    const falling = [1013, 1011, 1008, 1006].map((p) => ({ ...base, pressureHpa: p }));
    expect([...alertsFor(falling, DEFAULT_THRESHOLDS).keys()]).toEqual(['pressure']);
  });
});
