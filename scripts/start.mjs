// `npm start`: install if needed, build what is missing, then run the server (migrations run at start).
import { ensureBuilt, ensureInstalled, supervise } from './lib.mjs';

ensureInstalled();
ensureBuilt();
supervise(process.execPath, ['backend/dist/main.js']);
