/**
 * mkdir -p without Node 20's recursive mkdirSync, which loops forever (100 % CPU, no
 * output) on a path it cannot create but that does not fail the way it expects: a folder
 * under /proc, or a relative path resolved under /dev/fd when the config came from a
 * process substitution. Each missing folder is created in turn, so such a path fails at
 * once with the system's error (ENOENT, ENOTDIR, EACCES, ...), which callers report.
 */
import { mkdirSync, statSync } from 'node:fs';
import path from 'node:path';

export function makeDir(dir: string): void {
  const missing: string[] = [];
  let at = path.resolve(dir);
  for (;;) {
    let isDir: boolean;
    try {
      isDir = statSync(at).isDirectory();
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT') throw err;
      const parent = path.dirname(at);
      if (parent === at) throw err;
      missing.push(at);
      at = parent;
      continue;
    }
    if (!isDir) throw Object.assign(new Error(`ENOTDIR: not a directory, mkdir '${dir}'`), { code: missing.length ? 'ENOTDIR' : 'EEXIST', path: at });
    break;
  }
  for (const d of missing.reverse()) {
    try {
      mkdirSync(d);
    } catch (err) {
      // Made by someone else in the meantime is fine, if it is a folder.
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || !statSync(d).isDirectory()) throw err;
    }
  }
}
