import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { loadConfig } from '../src/config/config';
import { dataSourceOptions } from '../src/database/data-source-options';
import { MIGRATIONS } from '../src/database/migrations';
import { createTestDatabase, E2E_DRIVER } from './support/test-db';

/**
 * Node names became lower case (OpsNodeLowerCaseNames1765050000000): names stored before are lowered, and on
 * SQLite, where `Web-1` and `web-1` could both exist, the later one is renamed instead of breaking the index.
 */
describe('ops: the lower-case node names migration', () => {
  it('lowers existing names and renames a clash', async () => {
    const db = await createTestDatabase();
    const dataDir = mkdtempSync(join(tmpdir(), 'echocenter-mig-'));
    const ds = new DataSource(dataSourceOptions(loadConfig({ DATA_DIR: dataDir, ...db.env })));
    await ds.initialize();
    try {
      await ds.runMigrations({ transaction: 'each' });
      const index = MIGRATIONS.findIndex((M) => new M().name === 'OpsNodeLowerCaseNames1765050000000');
      for (let i = MIGRATIONS.length; i > index; i--) await ds.undoLastMigration({ transaction: 'each' });
      await ds.query(
        'INSERT INTO ssh_keys (name, key_type, public_key, fingerprint, sealed_private_key, created_by_name) VALUES (?, ?, ?, ?, ?, ?)',
        ['k', 'ssh-ed25519', 'ssh-ed25519 AAAA k', 'SHA256:x', '{}', 'admin'],
      );
      const [{ id: keyId }] = (await ds.query('SELECT id FROM ssh_keys')) as { id: number }[];
      // MariaDB's case-insensitive unique index never let the clash in; SQLite's did.
      const names = E2E_DRIVER === 'sqlite' ? ['Web-1', 'DB-2', 'web-1', 'ok-3'] : ['Web-1', 'DB-2', 'ok-3'];
      for (const name of names)
        await ds.query('INSERT INTO ops_nodes (name, host, port, username, key_id) VALUES (?, ?, ?, ?, ?)', [
          name,
          '127.0.0.1',
          22,
          'ops',
          keyId,
        ]);
      await ds.runMigrations({ transaction: 'each' });
      const rows = (await ds.query('SELECT id, name FROM ops_nodes ORDER BY id')) as { id: number; name: string }[];
      const expected =
        E2E_DRIVER === 'sqlite' ? ['web-1-' + rows[0]!.id, 'db-2', 'web-1', 'ok-3'] : ['web-1', 'db-2', 'ok-3'];
      // The lower-case twin keeps its name; the mixed-case one that clashed gets its id appended.
      expect(rows.map((r) => r.name)).toEqual(expected);
    } finally {
      await ds.destroy();
      await db.drop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
