// `npm run agent -- <name> --url <hub> --token <token>`: one fleet agent against any hub.
import { join } from 'node:path';
import { ROOT, ensureBuilt, ensureInstalled, supervise } from './lib.mjs';

ensureInstalled();
ensureBuilt({ frontend: false });
supervise(process.execPath, [join(ROOT, 'agents', 'dist', 'cli.js'), ...process.argv.slice(2)]);
