import pino, { type DestinationStream, type Logger } from 'pino';
import pretty from 'pino-pretty';
import type { AppConfig } from '../config/config';

/** Paths never written to a log line: they carry passwords and tokens. */
// SSH keys (ops vault) among them: no log line may carry one, even if bodies are ever logged.
const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.body.password',
  'req.body.token',
  'req.body.privateKey',
  'req.body.passphrase',
];

/**
 * The process's one pino logger; Nest's logger and the request log are views of it. Pretty lines are written
 * synchronously on the main thread (not a transport worker), so they interleave in order with what main.ts
 * prints: the start-up banner stays the last thing on the screen.
 */
export function createRootLogger(
  config: Pick<AppConfig, 'logLevel' | 'logPretty'>,
  destination?: DestinationStream,
): Logger {
  const options = { level: config.logLevel, redact: REDACTED_PATHS };
  if (destination) return pino(options, destination);
  if (!config.logPretty) return pino(options);
  return pino(
    options,
    pretty({
      sync: true,
      singleLine: true,
      translateTime: 'SYS:HH:MM:ss',
      ignore: 'pid,hostname,context',
      messageFormat: '{if context}[{context}] {end}{msg}',
    }),
  );
}
