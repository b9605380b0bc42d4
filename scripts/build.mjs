// `npm run build`: everything the server needs, rebuilt only where sources changed.
import { ensureBuilt, ensureInstalled } from './lib.mjs';

ensureInstalled();
ensureBuilt();
