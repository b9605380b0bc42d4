import pino, { type DestinationStream, type Logger } from 'pino';
import type { AppConfig } from '../config/config';

/** Paths never written to a log line: they carry passwords and tokens. */
// SSH keys (ops vault) among them: no log line may carry one, even if bodies are ever logged.
const REDACTED_PATHS = ['req.headers.authorization', 'req.headers.cookie', 'req.body.password', 'req.body.token', 'req.body.privateKey', 'req.body.passphrase'];

/** The process's one pino logger; Nest's logger and the request log are views of it. */
export function createRootLogger(config: Pick<AppConfig, 'logLevel' | 'logPretty'>, destination?: DestinationStream): Logger {
  const transport = config.logPretty && !destination ? { target: 'pino-pretty', options: { singleLine: true, translateTime: 'SYS:HH:MM:ss.l' } } : undefined;
  const options = { level: config.logLevel, redact: REDACTED_PATHS, transport };
  return destination ? pino(options, destination) : pino(options);
}
