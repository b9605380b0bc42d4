import type { AppConfig } from '../config/config';

/**
 * What `npm start` leaves on the screen once everything has started: where the console, Swagger and the API are,
 * and how to sign in. Printed after the fleet is launched and with synchronous logging, so it is the last block.
 */
export function startBanner(config: Pick<AppConfig, 'port' | 'admin'>, color = false): string {
  const url = `http://localhost:${config.port}`;
  const bold = (s: string) => (color ? `\x1b[1m${s}\x1b[22m` : s);
  const warn = (s: string) => (color ? `\x1b[33m${s}\x1b[39m` : s);
  const login = config.admin.isDefaultPassword
    ? `${config.admin.username} / ${config.admin.password}`
    : `${config.admin.username} / (ADMIN_PASSWORD)`;
  const lines = [
    '',
    bold(`EchoCenter is running at ${url}`),
    `  console  ${url}/`,
    `  swagger  ${url}/api/docs`,
    `  login    ${login}`,
    ...(config.admin.isDefaultPassword
      ? [
          warn(
            '  the default admin password is in use: change it in the console (Settings → Users) or set ADMIN_PASSWORD',
          ),
        ]
      : []),
    '  stop     Ctrl-C',
    '',
  ];
  return lines.join('\n') + '\n';
}
