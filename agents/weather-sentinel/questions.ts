import type { FreeTextAnswer } from '../sdk';
import type { Reading } from './simulator';

// The forecast a question about rain or the coming hours looks at.
const QUESTION_HOURS = 12;
const WET = new Set(['rain', 'storm']);

/**
 * Questions in words answered without a model: a few keywords pick one of the station's read-only
 * commands, and its output is put into a sentence. Anything else gets the usual hint to try "help".
 */
export function weatherQuestion(text: string): FreeTextAnswer | undefined {
  const q = text.toLowerCase();
  if (/\b(rain\w*|wet|showers?|umbrella|storm\w*|drizzle)\b/.test(q))
    return { command: 'forecast', args: String(QUESTION_HOURS), words: rainWords };
  if (/\b(forecast|tomorrow|later|tonight|coming hours|next hours)\b/.test(q))
    return { command: 'forecast', args: String(QUESTION_HOURS), words: forecastWords };
  if (/\b(temperature|hot|cold|warm|degrees?|wind\w*|humid\w*|pressure|weather|outside)\b/.test(q))
    return { command: 'current', words: currentWords };
  return undefined;
}

interface Forecast {
  station: string;
  hours: number;
  summary: string;
  readings: Reading[];
}

function rainWords(output: string): string {
  const f = JSON.parse(output) as Forecast;
  const wet = f.readings.filter((r) => WET.has(r.condition));
  if (!wet.length) return `No rain expected at ${f.station} in the next ${f.hours} hours. ${f.summary}.`;
  const first = wet[0]!;
  const kind = wet.some((r) => r.condition === 'storm') ? 'rain and storms' : 'rain';
  return (
    `Yes, ${kind} likely at ${f.station}: from ${hour(first)} (${wet.length} of the next ${f.hours} hours wet, ` +
    `${first.humidityPct}% humidity, ${first.pressureHpa} hPa). ${f.summary}.`
  );
}

function forecastWords(output: string): string {
  const f = JSON.parse(output) as Forecast;
  const conditions = [...new Set(f.readings.map((r) => r.condition))].join(', ');
  return `Next ${f.hours} hours at ${f.station}: ${f.summary}; conditions: ${conditions}.`;
}

function currentWords(output: string): string {
  const r = JSON.parse(output) as Reading & { station: string };
  return (
    `Now at ${r.station} (${hour(r)}): ${r.temperatureC}°C, ${r.condition}, ${r.humidityPct}% humidity, ` +
    `wind ${r.windKph} km/h, ${r.pressureHpa} hPa.`
  );
}

function hour(r: Reading): string {
  return r.at.slice(11, 16);
}
