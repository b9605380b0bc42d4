import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Logger } from '@nestjs/common';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { Response } from 'supertest';
import { call, closeAll, connect } from './support/sockets';
import { createUser, registerAgent, startTestApp, type TestApp } from './support/test-app';

const ROOT = resolve(__dirname, '..', '..');
const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
/**
 * Swagger UI's own files and the document itself (served by SwaggerModule), and the one-time approval link
 * pages (`/a/:token`: HTML for a person with a link, outside `/api`, see docs/notifications.md): not
 * operations of the API.
 */
const UNDOCUMENTED = /^\/api\/docs(\/|-json$|-yaml$|$)|^\/a\/:token$/;

interface Operation {
  summary?: string;
  responses: Record<string, { content?: Record<string, { schema?: object; example?: unknown }> }>;
}
type OpenApiDoc = {
  openapi: string;
  paths: Record<string, Partial<Record<(typeof METHODS)[number], Operation>>>;
  components: { schemas: Record<string, object> };
};

/** Every route Express serves, as "get /api/agents/{id}" (Nest registers each handler as one Express route). */
function appRoutes(t: TestApp): string[] {
  const express = t.app.getHttpAdapter().getInstance() as {
    router: { stack: Array<{ route?: { path: string; methods: Record<string, boolean> } }> };
  };
  return express.router.stack
    .filter((layer) => layer.route && !UNDOCUMENTED.test(layer.route.path))
    .flatMap((layer) =>
      Object.keys(layer.route!.methods).map((m) => `${m} ${layer.route!.path.replace(/:(\w+)/g, '{$1}')}`),
    );
}

/**
 * The Swagger document is what integrators code against: it must be valid OpenAPI 3, cover every route with a
 * summary, give each error status its own example, and describe what the routes really answer.
 */
describe('OpenAPI document (/api/docs-json)', () => {
  let t: TestApp;
  let doc: OpenApiDoc;
  let ajv: Ajv;
  const warnings: string[] = [];
  const auth = () => ({ authorization: `Bearer ${t.adminToken}` });

  beforeAll(async () => {
    // Nest's swagger warns (and keeps one of the two) when two DTO classes share a name.
    jest.spyOn(Logger, 'warn').mockImplementation((message: unknown) => void warnings.push(String(message)));
    t = await startTestApp();
    const res = await t.http().get('/api/docs-json');
    expect(res.status).toBe(200);
    doc = res.body as OpenApiDoc;
    ajv = new Ajv({ strict: false, allErrors: true });
    // backend/ resolves its own ajv copy, ajv-formats the root one: same API, distinct declarations.
    addFormats(ajv as unknown as Parameters<typeof addFormats>[0]);
    ajv.addSchema(doc, 'openapi');
  });
  afterAll(async () => {
    closeAll();
    await t.close();
    jest.restoreAllMocks();
  });

  /** The documented schema of `method path` answering `status`, compiled (refs resolve inside the document). */
  function schemaOf(method: (typeof METHODS)[number], path: string, status: number): ValidateFunction {
    const op = doc.paths[path]?.[method];
    if (!op) throw new Error(`${method} ${path} is not documented`);
    const schema = op.responses[String(status)]?.content?.['application/json']?.schema;
    if (!schema)
      throw new Error(
        `${method} ${path} documents no JSON body for ${status} (documented: ${Object.keys(op.responses).join(', ')})`,
      );
    return ajv.compile({
      $ref: `openapi#/paths/${path.replace(/~/g, '~0').replace(/\//g, '~1')}/${method}/responses/${status}/content/application~1json/schema`,
    });
  }

  function expectConforms(method: (typeof METHODS)[number], path: string, res: Response): void {
    const validate = schemaOf(method, path, res.status);
    const ok = validate(res.body);
    if (!ok)
      throw new Error(
        `${method} ${path} → ${res.status} does not match its schema: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(res.body).slice(0, 600)}`,
      );
  }

  it('is a valid OpenAPI 3 document (checked by @seriousme/openapi-schema-validator)', () => {
    expect(doc.openapi).toMatch(/^3\./);
    const dir = mkdtempSync(join(tmpdir(), 'openapi-'));
    try {
      const file = join(dir, 'openapi.json');
      writeFileSync(file, JSON.stringify(doc));
      // The validator is an ES module; a child node loads it as one (jest here runs CommonJS).
      const script = `import { Validator } from '@seriousme/openapi-schema-validator';
        const res = await new Validator().validate(${JSON.stringify(file)});
        process.stdout.write(JSON.stringify(res));`;
      const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
        cwd: ROOT,
        encoding: 'utf8',
      });
      expect(JSON.parse(out)).toEqual({ valid: true });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names no two schemas alike: no "Duplicate DTO" warning, and an agent\'s commands[] are its card entries', () => {
    expect(warnings.filter((w) => w.includes('Duplicate DTO'))).toEqual([]);
    const agent = doc.components.schemas.AgentDtoDoc as { properties: { commands: { items: { $ref: string } } } };
    const card = doc.components.schemas[agent.properties.commands.items.$ref.split('/').pop()!] as {
      properties: Record<string, unknown>;
    };
    expect(Object.keys(card.properties)).toEqual(expect.arrayContaining(['name', 'readOnly', 'policy']));
    expect(Object.keys(card.properties)).not.toContain('status');
  });

  it('documents every route of the app, each with a summary, and nothing the app does not serve', () => {
    const routes = appRoutes(t);
    expect(routes.length).toBeGreaterThan(30);
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) =>
      METHODS.filter((m) => ops[m]).map((m) => `${m} ${path}`),
    );
    expect(routes.filter((r) => !documented.includes(r))).toEqual([]);
    expect(documented.filter((d) => !routes.includes(d))).toEqual([]);
    const withoutSummary = documented.filter((d) => {
      const [m, p] = d.split(' ') as [(typeof METHODS)[number], string];
      return !doc.paths[p][m]?.summary?.trim();
    });
    expect(withoutSummary).toEqual([]);
  });

  it('gives each error status its own example, with that status and the code the hub sends for it', () => {
    const codes: Record<string, string> = {
      '400': 'VALIDATION_FAILED',
      '401': 'UNAUTHORIZED',
      '403': 'FORBIDDEN',
      '404': 'NOT_FOUND',
      '409': 'CONFLICT',
      '429': 'RATE_LIMITED',
    };
    const wrong: string[] = [];
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const m of METHODS) {
        for (const [status, response] of Object.entries(ops[m]?.responses ?? {})) {
          if (!codes[status]) continue;
          const example = response.content?.['application/json']?.example as
            { statusCode?: number; code?: string } | undefined;
          if (example?.statusCode !== Number(status) || example.code !== codes[status])
            wrong.push(`${m} ${path} ${status}: ${JSON.stringify(example)}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('describes real answers: agents (with a card), users, settings, the Butler, threads, logs and errors match their schemas', async () => {
    const agent = await registerAgent(t, 'Schema-Bot');
    const socket = await connect(t.url, agent.token);
    await call(socket, 'agent:hello', {
      commands: [
        { name: 'get_status', readOnly: true },
        { name: 'cleanup_tmp', args: '<dir>', description: 'frees space' },
      ],
    });
    const member = await createUser(t, 'schema-member');

    expectConforms('get', '/api/agents', await t.http().get('/api/agents').set(auth()));
    expectConforms('get', '/api/agents/{id}', await t.http().get(`/api/agents/${agent.id}`).set(auth()));
    expectConforms('post', '/api/agents', await t.http().post('/api/agents').set(auth()).send({ name: 'Schema-Two' }));
    expectConforms('get', '/api/auth/me', await t.http().get('/api/auth/me').set(auth()));
    expectConforms('get', '/api/users', await t.http().get('/api/users').set(auth()));
    expectConforms('get', '/api/settings', await t.http().get('/api/settings').set(auth()));
    expectConforms('get', '/api/butler', await t.http().get('/api/butler').set(auth()));
    expectConforms('post', '/api/conversations', await t.http().post('/api/conversations').set(auth()).send({}));
    expectConforms('get', '/api/conversations', await t.http().get('/api/conversations').set(auth()));
    expectConforms(
      'post',
      '/api/logs',
      await t
        .http()
        .post('/api/logs')
        .set({ authorization: `Bearer ${agent.token}` })
        .send({ level: 'INFO', content: 'disk at 40%' }),
    );
    expectConforms('get', '/api/logs', await t.http().get('/api/logs').set(auth()));
    expectConforms('get', '/api/approvals', await t.http().get('/api/approvals').set(auth()));
    expectConforms('get', '/api/audit', await t.http().get('/api/audit').set(auth()));
    expectConforms('get', '/api/health', await t.http().get('/api/health'));

    // Errors: each status's documented body is what the hub sends.
    expectConforms('get', '/api/agents/{id}', await t.http().get('/api/agents/999999').set(auth()));
    expectConforms('get', '/api/users', await t.http().get('/api/users'));
    expectConforms(
      'get',
      '/api/users',
      await t
        .http()
        .get('/api/users')
        .set({ authorization: `Bearer ${member.token}` }),
    );
    expectConforms('post', '/api/agents', await t.http().post('/api/agents').set(auth()).send({ name: '' }));
    expectConforms('post', '/api/agents', await t.http().post('/api/agents').set(auth()).send({ name: 'Schema-Bot' }));
  });
});
