import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * The `actors` table has one owner, ActorsService: no other file of backend/src holds the repository or
 * names the table in SQL. A column renamed there then breaks at compile time in one place, not at run time
 * in a feature that wrote the table behind its back. Migrations (they shape the table) are the exception.
 */
const SRC = join(__dirname, '..');
const OWNER = join('actors', 'actors.service.ts');

const HOLDS_REPOSITORY = /InjectRepository\(\s*Actor\s*\)|Repository<\s*Actor\s*>|getRepository\(\s*Actor\s*\)/;
const WRITES_THROUGH_MANAGER = /\.(save|insert|update|upsert|delete|remove|increment|decrement)\(\s*Actor\b/;
const CREATES_ROW = /\.create\(\s*Actor\b/;
const SQL_ON_ACTORS = /\b(UPDATE|INSERT\s+INTO|DELETE\s+FROM|FROM|JOIN)\s+[`"]?actors[`"]?(\s|$|[`"])/i;
const QUERY_BUILDER_ON_ACTORS = /\.(from|update|into)\(\s*Actor\b/;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'migrations' ? [] : sources(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.spec.ts') ? [path] : [];
  });
}

/** What a file does to `actors` that only the owner may do, as `path: rule` lines. */
function trespasses(path: string, text: string): string[] {
  const rules: [string, RegExp][] = [
    ['holds a Repository<Actor>', HOLDS_REPOSITORY],
    ['writes Actor through an EntityManager', WRITES_THROUGH_MANAGER],
    ['creates Actor rows', CREATES_ROW],
    ['names `actors` in SQL', SQL_ON_ACTORS],
    ['queries Actor with a query builder', QUERY_BUILDER_ON_ACTORS],
  ];
  return rules.filter(([, re]) => re.test(text)).map(([rule]) => `${path}: ${rule}`);
}

describe('the actors table', () => {
  it('is read and written only through ActorsService', () => {
    const found = sources(SRC)
      .map((file) => [relative(SRC, file), readFileSync(file, 'utf8')] as const)
      .filter(([path]) => path !== OWNER)
      .flatMap(([path, text]) => trespasses(path, text));
    expect(found).toEqual([]);
  });

  it('the check sees each way around the owner', () => {
    const samples = [
      '@InjectRepository(Actor) private readonly actors: Repository<Actor>',
      'await em.update(Actor, { id }, { online: true })',
      'em.save(em.create(Actor, { type: "AGENT" }))',
      "db.prepare('UPDATE actors SET last_report = ? WHERE id = ?')",
      '"SELECT a.id FROM agent_credentials c JOIN actors a ON a.id = c.agent_id"',
      "this.ds.createQueryBuilder().select('a.id').from(Actor, 'a')",
    ];
    for (const sample of samples) expect(trespasses('x.ts', sample)).not.toEqual([]);
    // Names that only look alike are not the table.
    expect(trespasses('x.ts', 'SELECT * FROM actor_presence; const actors = new Map();')).toEqual([]);
  });
});
