import { main } from '../cli';
import { FLEET_AGENTS, FLEET_READ_ONLY } from './catalog';
import { parseArgs } from './cli-args';
import { FLEET_PROGRAMS } from './registry';
import { runFromArgs } from './standalone';

describe('agent CLI', () => {
  let output: jest.SpyInstance[];

  beforeEach(() => {
    output = [
      jest.spyOn(process.stdout, 'write').mockReturnValue(true),
      jest.spyOn(process.stderr, 'write').mockReturnValue(true),
    ];
  });

  afterEach(() => output.forEach((spy) => spy.mockRestore()));

  it('parses --key value, --key=value and switches', () => {
    expect(parseArgs(['echo-bot', '--url', 'http://h', '--token=t=1', '--verbose', '--seed', '7'])).toEqual({
      positionals: ['echo-bot'],
      flags: { url: 'http://h', token: 't=1', verbose: 'true', seed: '7' },
    });
  });

  it('prints usage for --help, and exits 64 for an unknown agent or missing url/token', async () => {
    await expect(main(['--help'])).resolves.toBe(0);
    await expect(main(['no-such-agent'])).resolves.toBe(64);
    await expect(main(['echo-bot'])).resolves.toBe(64);
    await expect(
      runFromArgs('weather-sentinel', FLEET_PROGRAMS['weather-sentinel'], ['--report-interval-ms', 'soon'], {
        ECHO_URL: 'http://h',
        ECHO_TOKEN: 't',
      }),
    ).resolves.toBe(64);
    const stderr = output[1]!.mock.calls.map((call) => String(call[0])).join('');
    expect(stderr).toContain('Unknown agent "no-such-agent"');
    expect(stderr).toContain('--report-interval-ms / WEATHER_REPORT_INTERVAL_MS must be a number, got "soon"');
  });

  it('has a program for every catalogued agent, each with a card marking read-only commands', () => {
    const config = { url: 'http://h', token: 't', flags: { folder: '/nonexistent' }, env: {} };
    for (const name of FLEET_AGENTS) {
      const { card } = FLEET_PROGRAMS[name](config);
      expect(card.commands.length).toBeGreaterThan(0);
      expect(card.commands.every((c) => typeof c.readOnly === 'boolean')).toBe(true);
    }
  });

  it('lists for the hub exactly the read-only commands each card claims, with the same args', () => {
    const config = { url: 'http://h', token: 't', flags: { folder: '/nonexistent' }, env: {} };
    for (const name of FLEET_AGENTS) {
      const claimed = FLEET_PROGRAMS[name](config).card.commands.filter((c) => c.readOnly === true);
      expect([name, Object.fromEntries(claimed.map((c) => [c.name, c.args ?? null]))]).toEqual([
        name,
        FLEET_READ_ONLY[name],
      ]);
    }
  });
});
