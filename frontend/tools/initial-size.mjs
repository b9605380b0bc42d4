// Prints the gzipped size of the JavaScript the browser loads before any lazy route
// (every script and modulepreload in index.html) and fails above the 300 kB budget.
// Usage after `ng build frontend`: node frontend/tools/initial-size.mjs
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const dir = join(import.meta.dirname, '..', 'dist', 'browser');
const html = readFileSync(join(dir, 'index.html'), 'utf8');
const files = [...html.matchAll(/(?:src|href)="([^"]+\.js)"/g)].map((m) => m[1]);
let raw = 0;
let gz = 0;
for (const f of files) {
  const bytes = readFileSync(join(dir, f));
  raw += bytes.length;
  gz += gzipSync(bytes, { level: 9 }).length;
}
const kb = (n) => `${(n / 1024).toFixed(1)} kB`;
console.log(`initial JS: ${files.length} files, ${kb(raw)} raw, ${kb(gz)} gzipped (budget 300 kB)`);
if (gz > 300 * 1024) process.exit(1);
