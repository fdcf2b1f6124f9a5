// Where the bd stand-in lives, for tests (see README.md beside it).
import { fileURLToPath } from 'node:url';

export const BD_STANDIN = fileURLToPath(new URL('./bd', import.meta.url));
