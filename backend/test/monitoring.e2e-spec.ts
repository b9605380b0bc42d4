/**
 * The `monitoring` profile of docker/compose.yml: Prometheus scrapes both nodes on their metrics port,
 * Grafana is provisioned with docker/grafana/dashboards/echocenter.json, and every metric a panel queries
 * exists in a real scrape of the hub. `docker-compose config` validates the profile where it is installed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { scrape } from './support/prom-text';
import { startTestApp, type TestApp } from './support/test-app';

const DOCKER = resolve(__dirname, '..', '..', 'docker');
const COMPOSE_FILE = join(DOCKER, 'compose.yml');
const ENV: Record<string, string> = {
  MYSQL_PASSWORD: 'db-user-secret',
  MYSQL_ROOT_PASSWORD: 'db-root-secret',
  JWT_SECRET: 'x'.repeat(40),
  ADMIN_PASSWORD: 'admin-pass-123',
};
const TOKEN = 'monitoring-e2e-token-0123456789';

interface Service {
  image?: string;
  profiles?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  ports?: string[];
}
interface Panel {
  title: string;
  datasource?: { uid: string };
  targets?: { expr: string; datasource?: { uid: string } }[];
}

// eslint-disable-next-line @typescript-eslint/no-require-imports -- js-yaml ships no types and is only read here
const yaml = require('js-yaml') as { load(text: string): unknown };
const load = <T>(path: string) => yaml.load(readFileSync(path, 'utf8')) as T;
const services = load<{ services: Record<string, Service> }>(COMPOSE_FILE).services;
const dashboard = JSON.parse(readFileSync(join(DOCKER, 'grafana', 'dashboards', 'echocenter.json'), 'utf8')) as {
  uid: string;
  panels: Panel[];
};
const METRIC = /\b((?:echocenter|nodejs|process)_[a-z0-9_]+)\b/g;
/** Where a compose volume `./host:/target[:ro]` is mounted, by its host path under docker/. */
const mountOf = (s: Service, host: string) => s.volumes?.map((v) => v.split(':')).find(([h]) => h === host)?.[1];

const DOCKER_COMPOSE = ['/usr/bin/docker-compose', '/usr/local/bin/docker-compose'].find((p) => existsSync(p));
if (!DOCKER_COMPOSE)
  process.stdout.write(
    'docker-compose config check skipped: docker-compose is not installed (apt-get install docker-compose)\n',
  );

describe('monitoring profile (Prometheus + Grafana)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ METRICS_TOKEN: TOKEN });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('keeps Prometheus and Grafana behind the profile, published on loopback only', () => {
    for (const name of ['prometheus', 'grafana']) {
      expect({ name, profiles: services[name].profiles }).toEqual({ name, profiles: ['monitoring'] });
      for (const port of services[name].ports ?? []) expect(port).toMatch(/^127\.0\.0\.1:/);
    }
    // Nothing else is in the profile, so a plain `up` is unchanged.
    expect(
      Object.entries(services)
        .filter(([, s]) => s.profiles)
        .map(([n]) => n)
        .sort(),
    ).toEqual(['grafana', 'prometheus']);
  });

  it('scrapes both nodes on the port they serve metrics on, and each node names itself', () => {
    const prometheus = load<{ scrape_configs: { metrics_path: string; static_configs: { targets: string[] }[] }[] }>(
      join(DOCKER, 'prometheus', 'prometheus.yml'),
    );
    expect(mountOf(services.prometheus, './prometheus/prometheus.yml')).toBe('/etc/prometheus/prometheus.yml');
    const targets = prometheus.scrape_configs.flatMap((c) => c.static_configs.flatMap((s) => s.targets)).sort();
    const nodes = ['backend1', 'backend2'];
    expect(targets).toEqual(nodes.map((n) => `${n}:${services[n].environment!.METRICS_PORT}`));
    expect(prometheus.scrape_configs[0].metrics_path).toBe('/metrics');
    for (const n of nodes) {
      expect(services[n].environment).toMatchObject({ NODE_NAME: n, METRICS_HOST: '0.0.0.0' });
      // A token would lock Prometheus out of the metrics port (it sends none); the port is private instead.
      expect(services[n].environment!.METRICS_TOKEN).toBeUndefined();
      expect(services[n].ports).toBeUndefined();
    }
  });

  it('provisions Grafana with the Prometheus data source and the dashboard the panels point at', () => {
    const grafana = services.grafana;
    const provisioning = mountOf(grafana, './grafana/provisioning');
    const dashboards = mountOf(grafana, './grafana/dashboards');
    expect(provisioning).toBe('/etc/grafana/provisioning');
    const provider = load<{ providers: { options: { path: string } }[] }>(
      join(DOCKER, 'grafana', 'provisioning', 'dashboards', 'echocenter.yml'),
    );
    expect(provider.providers[0].options.path).toBe(dashboards);
    const sources = load<{ datasources: { uid: string; type: string; url: string }[] }>(
      join(DOCKER, 'grafana', 'provisioning', 'datasources', 'prometheus.yml'),
    );
    expect(sources.datasources).toEqual([
      expect.objectContaining({ uid: 'prometheus', type: 'prometheus', url: 'http://prometheus:9090' }),
    ]);
    for (const p of dashboard.panels) {
      expect({ panel: p.title, uid: p.datasource?.uid, targets: p.targets?.length ?? 0 }).toEqual({
        panel: p.title,
        uid: 'prometheus',
        targets: expect.any(Number),
      });
      expect(p.targets!.length).toBeGreaterThan(0);
    }
  });

  it('queries only metrics a real scrape has, and shows every metric the hub exports', async () => {
    const s = await scrape(t, TOKEN);
    const exists = (name: string) =>
      s.has(name) || (/_(bucket|sum|count)$/.test(name) && s.has(name.replace(/_(bucket|sum|count)$/, '')));
    const queried = new Set<string>();
    for (const p of dashboard.panels) {
      for (const target of p.targets ?? []) {
        const names = [...target.expr.matchAll(METRIC)].map((m) => m[1]);
        expect({ panel: p.title, expr: target.expr, names: names.length > 0 }).toEqual({
          panel: p.title,
          expr: target.expr,
          names: true,
        });
        for (const name of names) {
          expect({ panel: p.title, metric: name, exists: exists(name) }).toEqual({
            panel: p.title,
            metric: name,
            exists: true,
          });
          queried.add(name.replace(/_(bucket|sum|count)$/, ''));
        }
      }
    }
    const exported = [...s.text.matchAll(/^# TYPE (echocenter_\w+) /gm)].map((m) => m[1]);
    expect(exported.filter((name) => !queried.has(name))).toEqual([]);
  });

  (DOCKER_COMPOSE ? it : it.skip)('passes `docker-compose --profile monitoring config` with a filled .env', () => {
    const dir = mkdtempSync(join(tmpdir(), 'echocenter-monitoring-'));
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
        [
          '--project-directory',
          DOCKER,
          '-f',
          COMPOSE_FILE,
          '--env-file',
          envFile,
          '--profile',
          'monitoring',
          'config',
          '--services',
        ],
        { encoding: 'utf8', timeout: 30_000 },
      );
      expect({ status: res.status, stderr: res.stderr }).toEqual({ status: 0, stderr: '' });
      expect(res.stdout.split('\n').filter(Boolean).sort()).toEqual([
        'backend1',
        'backend2',
        'grafana',
        'mariadb',
        'migrate',
        'nginx',
        'prometheus',
        'redis',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
