import path from 'node:path';
import { EXIT } from '../errors.js';
import { loadCliConfig } from './context.js';
import { cliLogger, colors, err, fmtCount, fmtInt, out, printJson, type GlobalOptions } from './output.js';

export async function catalogImportCommand(file: string, flags: GlobalOptions): Promise<number> {
  const config = loadCliConfig(flags);
  const log = await cliLogger(flags);
  const { openStore } = await import('../store/open.js');
  const { importCatalogFile } = await import('../catalog/catalog.js');
  const store = await openStore(config);
  try {
    log.progress(`Importing ${file}`);
    const s = await importCatalogFile(store, path.resolve(file));
    log.stop();
    const code = s.bad.length > 0 ? EXIT.NEEDS_ATTENTION : EXIT.OK;
    if (flags.json) {
      printJson({ ok: true, exitCode: code, ...s });
      return code;
    }
    const c = colors(flags);
    out(`Catalog import of ${s.file}: ${fmtCount(s.rows, 'row')}, ${fmtInt(s.inserted)} new, ${fmtInt(s.updated)} updated, ${fmtInt(s.unchanged)} unchanged${s.bad.length ? `, ${c.yellow(`${fmtCount(s.bad.length, 'bad row')} skipped`)}` : ''}.`);
    if (s.duplicatesInFile) out(`  ${fmtInt(s.duplicatesInFile)} rows repeat an earlier product key; the later row wins.`);
    for (const ic of s.ignoredColumns) {
      err(c.yellow(`warning: column ${JSON.stringify(ic.column)} is not one lizzy-sync reads; its values were ignored${ic.suggestion ? ` (did you mean ${JSON.stringify(ic.suggestion)}?)` : ''}`));
    }
    for (const b of s.bad.slice(0, 50)) err(`skipped: ${path.basename(s.file)}:${b.line}: ${b.message}`);
    if (s.bad.length > 50) err(`  ... and ${s.bad.length - 50} more (use --json for the full list)`);
    return code;
  } finally {
    log.stop();
    await store.close();
  }
}

const REDACTED_WARNING =
  'Warning: some catalog text contains the Lizzy API key; it is written as *** (the key never leaves lizzy-sync), so those rows do not re-import as they were. Check the catalog for a pasted key.';

export async function catalogExportCommand(flags: GlobalOptions & { out?: string }): Promise<number> {
  const config = loadCliConfig(flags);
  const { openStore } = await import('../store/open.js');
  const { exportCatalogFile } = await import('../catalog/catalog.js');
  const store = await openStore(config);
  try {
    if (!flags.out) {
      const { mkdtempSync, createReadStream, rmSync } = await import('node:fs');
      const { tmpdir } = await import('node:os');
      const dir = mkdtempSync(path.join(tmpdir(), 'lizzy-export-'));
      // The temporary copy goes away whatever happens (a closed pipe exits the process).
      const cleanup = () => rmSync(dir, { recursive: true, force: true });
      process.once('exit', cleanup);
      try {
        const tmp = path.join(dir, 'catalog.csv');
        const { redacted } = await exportCatalogFile(store, tmp);
        if (redacted) err(REDACTED_WARNING);
        await new Promise<void>((resolve, reject) => {
          const s = createReadStream(tmp);
          s.on('error', reject);
          s.on('end', resolve);
          s.pipe(process.stdout, { end: false });
        });
      } finally {
        cleanup();
      }
      return EXIT.OK;
    }
    const { products: n, redacted } = await exportCatalogFile(store, path.resolve(flags.out), '--out');
    if (redacted) err(REDACTED_WARNING);
    if (flags.json) printJson({ ok: true, exitCode: EXIT.OK, file: path.resolve(flags.out), products: n, redacted });
    else err(`Exported ${fmtInt(n)} products to ${path.resolve(flags.out)}`);
    return EXIT.OK;
  } finally {
    await store.close();
  }
}
