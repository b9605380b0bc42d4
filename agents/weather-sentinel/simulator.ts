import { Prng } from './prng';

export const CONDITIONS = ['clear', 'cloudy', 'rain', 'storm', 'heatwave'] as const;
export type Condition = (typeof CONDITIONS)[number];

export interface Reading {
  /** Simulated time: one reading per simulated hour from a fixed start, so runs replay exactly. */
  at: string;
  temperatureC: number;
  humidityPct: number;
  windKph: number;
  pressureHpa: number;
  condition: Condition;
}

type Regime = { kind: 'normal' | 'heatwave' | 'storm'; hoursLeft: number };

const START = Date.UTC(2025, 5, 1, 0, 0, 0);
const HOUR = 3_600_000;

/**
 * Simulated weather: each value relaxes towards a target set by the hour of day and the current regime
 * (normal, heat wave, storm), plus seeded noise. Same seed, same sequence.
 */
export class WeatherSimulator {
  private hour = 0;
  private temperature = 16;
  private pressure = 1013;
  private wind = 12;
  private regime: Regime = { kind: 'normal', hoursLeft: 0 };

  constructor(private readonly prng: Prng) {}

  step(): Reading {
    this.advanceRegime();
    const { prng } = this;
    const kind = this.regime.kind;
    const diurnal = Math.sin((2 * Math.PI * ((this.hour % 24) - 9)) / 24);
    const targetTemperature = 18 + 7 * diurnal + (kind === 'heatwave' ? 15 : kind === 'storm' ? -4 : 0);
    const targetPressure = kind === 'storm' ? 984 : kind === 'heatwave' ? 1022 : 1013;
    const targetWind = kind === 'storm' ? 72 : 12;
    this.temperature += (targetTemperature - this.temperature) * 0.5 + prng.gaussian() * 0.8;
    this.pressure += (targetPressure - this.pressure) * 0.3 + prng.gaussian() * 0.6;
    this.wind = Math.max(0, this.wind + (targetWind - this.wind) * 0.4 + prng.gaussian() * 3);
    const humidity = clamp(
      70 - (this.temperature - 18) * 2.5 + (kind === 'storm' ? 25 : 0) + prng.gaussian() * 3,
      5,
      100,
    );

    const reading: Reading = {
      at: new Date(START + this.hour * HOUR).toISOString(),
      temperatureC: round(this.temperature),
      humidityPct: round(humidity),
      windKph: round(this.wind),
      pressureHpa: round(this.pressure),
      condition: kind !== 'normal' ? kind : humidity > 85 ? 'rain' : humidity > 70 ? 'cloudy' : 'clear',
    };
    this.hour += 1;
    return reading;
  }

  /** The next `hours` readings, computed on a copy: the station's own sequence is not advanced. */
  forecast(hours: number): Reading[] {
    const copy = this.clone();
    return Array.from({ length: hours }, () => copy.step());
  }

  clone(): WeatherSimulator {
    const copy = new WeatherSimulator(this.prng.clone());
    Object.assign(copy, { hour: this.hour, temperature: this.temperature, pressure: this.pressure, wind: this.wind });
    copy.regime = { ...this.regime };
    return copy;
  }

  private advanceRegime(): void {
    if (this.regime.hoursLeft > 0) {
      this.regime.hoursLeft -= 1;
      return;
    }
    const roll = this.prng.next();
    if (roll < 0.03) this.regime = { kind: 'heatwave', hoursLeft: this.prng.int(6, 12) };
    else if (roll < 0.06) this.regime = { kind: 'storm', hoursLeft: this.prng.int(3, 6) };
    else this.regime = { kind: 'normal', hoursLeft: 0 };
  }
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
