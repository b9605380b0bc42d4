import type { Reading } from './simulator';

export interface AlertThresholds {
  heatC: number;
  windKph: number;
  /** A pressure fall at least this large over three hours predicts a storm. */
  pressureDropHpa: number;
}

export const DEFAULT_THRESHOLDS: AlertThresholds = { heatC: 35, windKph: 60, pressureDropHpa: 6 };

export type AlertKind = 'heat' | 'wind' | 'pressure';

/** Alerts raised by the newest reading, given the ones before it (oldest first). */
export function alertsFor(history: readonly Reading[], thresholds: AlertThresholds): Map<AlertKind, string> {
  const alerts = new Map<AlertKind, string>();
  const latest = history[history.length - 1];
  if (!latest) return alerts;
  if (latest.temperatureC >= thresholds.heatC) alerts.set('heat', `Heat alert: ${latest.temperatureC}°C`);
  if (latest.windKph >= thresholds.windKph) alerts.set('wind', `Wind alert: ${latest.windKph} km/h`);
  const earlier = history[history.length - 4];
  if (earlier && earlier.pressureHpa - latest.pressureHpa >= thresholds.pressureDropHpa) {
    const drop = Math.round((earlier.pressureHpa - latest.pressureHpa) * 10) / 10;
    alerts.set('pressure', `Pressure falling fast: -${drop} hPa in 3 h, storm likely`);
  }
  return alerts;
}

const METRICS = [
  { key: 'temperatureC', unit: '°C', steady: 0.2 },
  { key: 'humidityPct', unit: '%', steady: 0.5 },
  { key: 'windKph', unit: 'km/h', steady: 0.5 },
  { key: 'pressureHpa', unit: 'hPa', steady: 0.2 },
] as const;

export interface MetricTrend {
  direction: 'rising' | 'falling' | 'steady';
  perHour: number;
  unit: string;
}

/** Least-squares slope per hour of each metric over the readings. */
export function trendOf(readings: readonly Reading[]): Record<(typeof METRICS)[number]['key'], MetricTrend> {
  const entries = METRICS.map(({ key, unit, steady }) => {
    const perHour = Math.round(slope(readings.map((r) => r[key])) * 100) / 100;
    const direction = Math.abs(perHour) < steady ? 'steady' : perHour > 0 ? 'rising' : 'falling';
    return [key, { direction, perHour, unit }] as const;
  });
  return Object.fromEntries(entries) as Record<(typeof METRICS)[number]['key'], MetricTrend>;
}

function slope(values: readonly number[]): number {
  const n = values.length;
  if (n < 2) return 0;
  const meanX = (n - 1) / 2;
  const meanY = values.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  values.forEach((y, x) => {
    num += (x - meanX) * (y - meanY);
    den += (x - meanX) ** 2;
  });
  return num / den;
}

export function describe(reading: Reading): string {
  const time = reading.at.slice(11, 16);
  return `${time} ${reading.temperatureC}°C, ${reading.humidityPct}% RH, wind ${reading.windKph} km/h, ${reading.pressureHpa} hPa, ${reading.condition}`;
}
