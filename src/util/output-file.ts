import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../errors.js';

/**
 * A file the user named with a flag (--out, --report) must be a file, in a folder that
 * exists: a typo is refused before any work, never turned into a new folder tree.
 */
export function checkOutputFile(flag: string, given: string): void {
  const file = path.resolve(given);
  if (existsSync(file) && statSync(file).isDirectory()) {
    throw new InputError(`${flag} ${given} is a folder; name a file in it.`);
  }
  const dir = path.dirname(file);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new InputError(`${flag} ${given}: the folder ${dir} does not exist.`, { hint: 'Create it first, or write the file somewhere else.' });
  }
}
