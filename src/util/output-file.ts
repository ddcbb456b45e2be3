import { existsSync, lstatSync, statSync } from 'node:fs';
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
  // The file is written under a temporary name and renamed over the target: that would
  // replace a link, a pipe or a device (/dev/full) with a plain file. Only plain files.
  let kind: string | undefined;
  try {
    const st = lstatSync(file);
    if (st.isSymbolicLink()) kind = 'a symbolic link';
    else if (!st.isFile()) kind = st.isFIFO() ? 'a named pipe' : st.isSocket() ? 'a socket' : 'a device';
  } catch {
    // does not exist yet: fine
  }
  if (kind) {
    throw new InputError(`${flag} ${given} is ${kind}, not a plain file; lizzy-sync writes a new file and renames it into place, which would replace it.`, {
      hint: `Name a plain file (for a link, its target: ${given} → the file it points to).`,
    });
  }
  const dir = path.dirname(file);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new InputError(`${flag} ${given}: the folder ${dir} does not exist.`, { hint: 'Create it first, or write the file somewhere else.' });
  }
}
