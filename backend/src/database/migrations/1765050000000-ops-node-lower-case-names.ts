import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Node names are lower case from now on (OpsNodesService stores and compares them so): MariaDB's collation
 * ignores case while SQLite's does not, so `WEB-1` found `web-1` on one database only. Existing names are
 * lowered; on SQLite, where `Web-1` and `web-1` could both exist, the later one becomes `web-1-<id>` (an
 * admin renames it; the audit log still has its history).
 */
export class OpsNodeLowerCaseNames1765050000000 implements MigrationInterface {
  name = 'OpsNodeLowerCaseNames1765050000000';

  async up(qr: QueryRunner): Promise<void> {
    const rows = (await qr.query('SELECT id, name FROM ops_nodes ORDER BY id')) as { id: number; name: string }[];
    const taken = new Set(rows.filter((r) => r.name === r.name.toLowerCase()).map((r) => r.name));
    for (const row of rows) {
      const lower = row.name.toLowerCase();
      if (row.name === lower) continue;
      const name = taken.has(lower) ? `${lower.slice(0, 50)}-${row.id}` : lower;
      taken.add(name);
      await qr.query('UPDATE ops_nodes SET name = ? WHERE id = ?', [name, row.id]);
    }
  }

  async down(): Promise<void> {
    // Lower-case names are valid names: nothing to undo.
  }
}
