import type { Agent, AgentProgram } from '../sdk';
import { DEFAULT_THRESHOLDS, alertsFor, describe, trendOf, type AlertKind, type AlertThresholds } from './analysis';
import { Prng } from './prng';
import { weatherQuestion } from './questions';
import { WeatherSimulator, type Reading } from './simulator';

export interface WeatherSentinelOptions {
  /** Same seed, same weather. Default: random, and logged so a run can be replayed. */
  seed?: number;
  station?: string;
  /** One simulated hour passes per report. Default 20 s. */
  reportIntervalMs?: number;
  thresholds?: Partial<AlertThresholds>;
}

// Readings made before the first report, so `trend` has something to work with at once.
const WARMUP_HOURS = 12;
const HISTORY_HOURS = 72;
const MAX_FORECAST_HOURS = 48;

/** Weather-Sentinel: a simulated station with periodic reports, forecasts, trends and WARNING alerts. */
export function createWeatherSentinel(options: WeatherSentinelOptions = {}): AgentProgram {
  const seed = options.seed ?? Math.floor(Math.random() * 2 ** 32);
  const station = options.station ?? 'Hive Station';
  const thresholds = { ...DEFAULT_THRESHOLDS, ...options.thresholds };
  return {
    persona:
      'A friendly weather station. You answer questions about the weather from your own readings and forecast, with times and numbers, and say when you are unsure.',
    card: {
      description: 'Simulated weather station: periodic reports, forecast, trend and alerts.',
      version: '1.0.0',
      commands: [
        { name: 'current', description: 'The latest reading.', readOnly: true },
        {
          name: 'forecast',
          args: '[hours]',
          description: `The next hours (default 6, at most ${MAX_FORECAST_HOURS}).`,
          readOnly: true,
        },
        {
          name: 'trend',
          args: '[hours]',
          description: 'Rising, falling or steady, over the last hours (default 12).',
          readOnly: true,
        },
      ],
    },
    start(agent) {
      const station$ = new Station(agent, new WeatherSimulator(new Prng(seed)), station, thresholds);
      agent.log('INFO', `${station} online (seed ${seed}; set WEATHER_SEED=${seed} to replay this weather)`);
      agent.onCommand('current', () => ({ station, ...station$.latest() }));
      agent.onCommand('forecast', (args) => station$.forecast(hoursArg(args, 6, MAX_FORECAST_HOURS)));
      agent.onCommand('trend', (args) => station$.trend(hoursArg(args, 12, HISTORY_HOURS)));
      // Without a model it still answers "is it going to rain?" from its forecast (with one, the model does).
      agent.onFreeText(weatherQuestion);
      const timer = setInterval(() => station$.report(), options.reportIntervalMs ?? 20_000);
      return () => clearInterval(timer);
    },
  };
}

class Station {
  private readonly history: Reading[] = [];
  private readonly active = new Set<AlertKind>();

  constructor(
    private readonly agent: Agent,
    private readonly simulator: WeatherSimulator,
    private readonly name: string,
    private readonly thresholds: AlertThresholds,
  ) {
    for (let i = 0; i < WARMUP_HOURS; i++) this.history.push(simulator.step());
  }

  latest(): Reading {
    return this.history[this.history.length - 1]!;
  }

  /** One simulated hour: a report, and a WARNING for each alert that has just begun (not on every hour). */
  report(): void {
    this.history.push(this.simulator.step());
    if (this.history.length > HISTORY_HOURS) this.history.shift();
    this.agent.log('INFO', `${this.name} ${describe(this.latest())}`);
    const alerts = alertsFor(this.history, this.thresholds);
    for (const [kind, message] of alerts)
      if (!this.active.has(kind)) this.agent.log('WARNING', `${this.name}: ${message}`);
    const cleared = [...this.active].filter((kind) => !alerts.has(kind));
    if (cleared.length > 0) this.agent.log('SUCCESS', `${this.name}: ${cleared.join(', ')} alert cleared`);
    this.active.clear();
    alerts.forEach((_message, kind) => this.active.add(kind));
  }

  forecast(hours: number) {
    const readings = this.simulator.forecast(hours);
    const hottest = readings.reduce((a, b) => (b.temperatureC > a.temperatureC ? b : a));
    const coldest = readings.reduce((a, b) => (b.temperatureC < a.temperatureC ? b : a));
    const warnings = new Set<string>();
    readings.forEach((_r, i) =>
      alertsFor([...this.history, ...readings.slice(0, i + 1)], this.thresholds).forEach((m) =>
        warnings.add(m.split(':')[0]!),
      ),
    );
    return {
      station: this.name,
      hours,
      summary: `High ${hottest.temperatureC}°C at ${hottest.at.slice(11, 16)}, low ${coldest.temperatureC}°C at ${coldest.at.slice(11, 16)}${warnings.size ? `; expect: ${[...warnings].join(', ')}` : ''}`,
      readings,
    };
  }

  trend(hours: number) {
    const window = this.history.slice(-hours);
    return { station: this.name, hours: window.length, from: window[0]!.at, to: this.latest().at, ...trendOf(window) };
  }
}

function hoursArg(args: string, fallback: number, max: number): number {
  if (!args.trim()) return fallback;
  const hours = Number.parseInt(args, 10);
  if (!Number.isInteger(hours) || hours < 1 || hours > max)
    throw new Error(`hours must be a whole number from 1 to ${max}`);
  return hours;
}
