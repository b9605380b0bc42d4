import { promises as fs } from 'node:fs';
import * as path from 'node:path';

// A small, believable folder: something to list, read, find, clean up and archive in a demo.
const SAMPLES: Record<string, string> = {
  'README.txt':
    'Hive storage, looked after by Storage-Custodian.\nAsk it for get_status, list_files, get_file, find.\n',
  'reports/2025-q1-sales.csv':
    'region,units,revenue\nnorth,1200,48000\nsouth,950,38000\neast,1430,57200\nwest,870,34800\n',
  'reports/2025-q2-sales.csv':
    'region,units,revenue\nnorth,1310,52400\nsouth,1020,40800\neast,1390,55600\nwest,940,37600\n',
  'notes/meeting-notes.md':
    '# Ops sync\n\n- Rotate the weather sensor batteries\n- TODO: archive last quarter reports\n',
  'configs/app.json': '{\n  "retentionDays": 30,\n  "maxUploadMb": 25,\n  "mirror": "eu-west"\n}\n',
  'logs/backup.log': '2025-06-01T02:00:00Z backup started\n2025-06-01T02:04:12Z backup finished, 1.2 GB\n',
  'tmp/cache-7f3a.tmp': 'stale cache entry\n',
  'tmp/upload-42.tmp': 'partial upload, never completed\n',
};

/** Fills the folder with sample files on first run (missing or empty folder); returns what it wrote. */
export async function seedIfEmpty(root: string): Promise<string[]> {
  await fs.mkdir(root, { recursive: true });
  if ((await fs.readdir(root)).length > 0) return [];
  for (const [name, content] of Object.entries(SAMPLES)) {
    const file = path.join(root, name);
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, content);
  }
  return Object.keys(SAMPLES);
}
