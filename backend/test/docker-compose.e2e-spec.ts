/**
 * docker/compose.yml deploys on the database the tests run: the official MariaDB image of the major.minor
 * the MySQL e2e pass runs on (or the mariadbd installed here), utf8mb4, the image's own healthcheck, a
 * volume, and every node waiting for it to be healthy. The file is parsed here (js-yaml, which jest itself
 * depends on); where docker-compose is installed, `docker-compose config` validates it as well. No Docker
 * engine is needed for either.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { MARIADBD } from '../../drills/lib/services';

const DOCKER = resolve(__dirname, '..', '..', 'docker');
const COMPOSE_FILE = join(DOCKER, 'compose.yml');
const DB = 'mariadb';
/** What a filled docker/.env gives the file (the required secrets); the rest falls back to its defaults. */
const ENV: Record<string, string> = {
  MYSQL_PASSWORD: 'db-user-secret',
  MYSQL_ROOT_PASSWORD: 'db-root-secret',
  JWT_SECRET: 'x'.repeat(40),
  ADMIN_PASSWORD: 'admin-pass-123',
};

interface Service {
  image?: string;
  build?: unknown;
  command?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
}
interface ComposeFile {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

/** Compose's `${VAR:-default}` / `${VAR:?message}` / `${VAR}` against ENV. */
const interpolate = (s: string) =>
  s.replace(
    /\$\{(\w+)(?::?([-?])([^}]*))?\}/g,
    (_, name: string, op?: string, rest?: string) => ENV[name] ?? (op === '-' ? (rest ?? '') : ''),
  );

// eslint-disable-next-line @typescript-eslint/no-require-imports -- js-yaml ships no types and is only read here
const yaml = require('js-yaml') as { load(text: string): unknown };
const compose = yaml.load(readFileSync(COMPOSE_FILE, 'utf8')) as ComposeFile;
const services = compose.services;
const nodes = ['backend1', 'backend2'];

/** major.minor of the MariaDB the tests run on: the MySQL pass's server, else the mariadbd installed here. */
async function testedMariadb(): Promise<{ version: string; from: string } | null> {
  if (process.env.E2E_DB === 'mysql' && process.env.MYSQL_URL) {
    const c = await createConnection(process.env.MYSQL_URL);
    const [rows] = (await c.query('SELECT VERSION() AS v')) as unknown as [{ v: string }[]];
    await c.end();
    const m = /^(\d+\.\d+)\.\d+-MariaDB/.exec(rows[0].v);
    if (m) return { version: m[1], from: `MYSQL_URL (${rows[0].v})` };
  }
  if (MARIADBD) {
    const out = spawnSync(MARIADBD, ['--version'], { encoding: 'utf8' }).stdout;
    const m = /Ver (\d+\.\d+)\.\d+-MariaDB/.exec(out);
    if (m) return { version: m[1], from: `${MARIADBD} --version` };
  }
  return null;
}

const DOCKER_COMPOSE = ['/usr/bin/docker-compose', '/usr/local/bin/docker-compose'].find((p) => existsSync(p));
if (!DOCKER_COMPOSE)
  process.stdout.write(
    'docker-compose config check skipped: docker-compose is not installed (apt-get install docker-compose)\n',
  );

describe('docker/compose.yml', () => {
  it('runs the official MariaDB image of the major.minor the tests run on', async () => {
    const m = /^mariadb:(\d+\.\d+)$/.exec(services[DB]?.image ?? '');
    expect(m).not.toBeNull();
    expect(Object.values(services).map((s) => s.image ?? '')).not.toContainEqual(expect.stringMatching(/^mysql[:@]/));
    const tested = await testedMariadb();
    if (!tested) {
      process.stdout.write(
        'compose image version check skipped: no MariaDB here to compare with (MYSQL_URL or mariadbd)\n',
      );
      return;
    }
    expect({ image: m![1], tested: tested.version, from: tested.from }).toEqual({
      image: tested.version,
      tested: tested.version,
      from: tested.from,
    });
  });

  it("sets utf8mb4, keeps the data in a named volume and checks health with the image's healthcheck.sh", () => {
    const db = services[DB];
    expect(db.command).toEqual(
      expect.arrayContaining(['--character-set-server=utf8mb4', '--collation-server=utf8mb4_unicode_ci']),
    );
    expect(db.healthcheck?.test).toEqual(['CMD', 'healthcheck.sh', '--connect', '--innodb_initialized']);
    const data = (db.volumes ?? []).map((v) => v.split(':')).find(([, target]) => target === '/var/lib/mysql');
    expect(data).toBeDefined();
    expect(Object.keys(compose.volumes ?? {})).toContain(data![0]);
    // The image's own variables, fed by the .env names deployments already have.
    expect(Object.keys(db.environment ?? {}).sort()).toEqual(
      expect.arrayContaining(['MARIADB_DATABASE', 'MARIADB_PASSWORD', 'MARIADB_ROOT_PASSWORD', 'MARIADB_USER']),
    );
  });

  it('points every node and the migration at it, and none starts before it is healthy', () => {
    for (const name of ['migrate', ...nodes]) {
      const s = services[name];
      const url = new URL(interpolate(s.environment!.DATABASE_URL));
      expect({ name, host: url.host, db: url.pathname, user: url.username }).toEqual({
        name,
        host: `${DB}:3306`,
        db: `/${interpolate(services[DB].environment!.MARIADB_DATABASE)}`,
        user: interpolate(services[DB].environment!.MARIADB_USER),
      });
      expect(s.depends_on?.[DB]).toEqual({ condition: 'service_healthy' });
    }
    for (const name of nodes)
      expect(services[name].depends_on?.migrate).toEqual({ condition: 'service_completed_successfully' });
  });

  it('runs the MCP bridges on exactly one node (MCP_BRIDGES is on by default)', () => {
    const bridging = nodes.filter((n) => !/^(off|false|0|no)$/i.test(services[n].environment?.MCP_BRIDGES ?? 'on'));
    expect(bridging).toEqual(['backend1']);
  });

  it("waits only on services that exist and, for service_healthy, have a health check (compose's or the image's)", () => {
    const dockerfileHasHealthcheck = /^HEALTHCHECK /m.test(readFileSync(join(DOCKER, 'Dockerfile'), 'utf8'));
    const ourImage = services.migrate.image;
    for (const [name, s] of Object.entries(services)) {
      for (const [dep, { condition }] of Object.entries(s.depends_on ?? {})) {
        expect({ name, dep, exists: dep in services }).toEqual({ name, dep, exists: true });
        if (condition !== 'service_healthy') continue;
        const checked =
          Boolean(services[dep].healthcheck) || (services[dep].image === ourImage && dockerfileHasHealthcheck);
        expect({ name, dep, checked }).toEqual({ name, dep, checked: true });
      }
    }
  });

  (DOCKER_COMPOSE ? it : it.skip)(
    'passes `docker-compose config` (interpolation, anchors, schema) with a filled .env',
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'echocenter-compose-'));
      try {
        const envFile = join(dir, '.env');
        writeFileSync(
          envFile,
          Object.entries(ENV)
            .map(([k, v]) => `${k}=${v}`)
            .join('\n') + '\n',
        );
        const res = spawnSync(
          DOCKER_COMPOSE!,
          ['--project-directory', DOCKER, '-f', COMPOSE_FILE, '--env-file', envFile, 'config', '-q'],
          { encoding: 'utf8', timeout: 30_000 },
        );
        expect({ status: res.status, stderr: res.stderr }).toEqual({ status: 0, stderr: '' });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
