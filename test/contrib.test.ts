import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli, tempDir } from './helpers.js';

/** The lizzy-sync argument lists that the shipped service files and the README run. */
function commandLines(): Array<{ where: string; args: string[] }> {
  const out: Array<{ where: string; args: string[] }> = [];
  const add = (where: string, line: string) => {
    const m = /lizzy-sync\.js"?\s+(.*)$/.exec(line.replace(/<\/?Arguments>/g, '').replace(/\s*>>.*$/, '').trim());
    if (!m) return;
    const args = (m[1]!.match(/"[^"]*"|\S+/g) ?? []).map((a) => a.replace(/^"|"$/g, ''));
    out.push({ where, args });
  };
  for (const f of ['contrib/systemd/lizzy-sync.service', 'contrib/cron/crontab', 'contrib/windows/lizzy-sync-inventory.xml', 'contrib/windows/lizzy-sync-orders.xml']) {
    for (const line of readFileSync(path.join(ROOT, f), 'utf8').split('\n')) if (/lizzy-sync\.js/.test(line)) add(f, line);
  }
  return out;
}

describe('shipped service files', () => {
  it('name only commands and flags that exist', async () => {
    const lines = commandLines();
    expect(lines.length).toBeGreaterThanOrEqual(5);
    for (const { where, args } of lines) {
      // Drop the values of --config; keep command words and flags.
      const words: string[] = [];
      for (let i = 0; i < args.length; i++) {
        if (args[i] === '--config') i++;
        else if (args[i] === '--log-format') i++;
        else words.push(args[i]!);
      }
      const command = words.filter((w) => !w.startsWith('-'));
      const help = await runCli([...command, '--help']);
      expect(help.code, `${where}: ${command.join(' ')}`).toBe(0);
      for (const flag of words.filter((w) => w.startsWith('--'))) expect(help.stdout, `${where}: ${flag}`).toContain(flag);
    }
  });

  it('the crontab lines read the key from the env file under /bin/sh, and the crontab holds no key', () => {
    const t = tempDir();
    const envFile = path.join(t.dir, 'env');
    writeFileSync(envFile, 'LIZZY_API_KEY=key-from-the-env-file\n', { mode: 0o600 });
    const crontab = readFileSync(path.join(ROOT, 'contrib', 'cron', 'crontab'), 'utf8');
    expect(crontab).not.toMatch(/^LIZZY_API_KEY=/m);
    const lines = crontab.split('\n').filter((l) => /^\d/.test(l));
    expect(lines).toHaveLength(2);
    for (const line of lines) {
      const shell = line
        .replace(/^(\S+\s+){5}/, '')
        .replace('cd /opt/lizzy-sync', `cd ${ROOT}`)
        .replace('/etc/lizzy-sync/env', envFile)
        .replace(/\/usr\/bin\/node .*$/, `${process.execPath} -e "process.stdout.write(process.env.LIZZY_API_KEY)"`);
      const r = spawnSync('/bin/sh', ['-c', shell], { encoding: 'utf8', env: { PATH: process.env.PATH } });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toBe('key-from-the-env-file');
    }
    t.cleanup();
  });

  it('the Task Scheduler tasks never start a second instance and name a working folder', () => {
    for (const f of ['lizzy-sync-inventory.xml', 'lizzy-sync-orders.xml']) {
      const xml = readFileSync(path.join(ROOT, 'contrib', 'windows', f), 'utf8');
      expect(xml).toContain('<MultipleInstancesPolicy>IgnoreNew</MultipleInstancesPolicy>');
      expect(xml).toMatch(/<WorkingDirectory>[^<]+<\/WorkingDirectory>/);
      expect(xml).toMatch(/<Command>[^<]*node\.exe<\/Command>/);
    }
  });

  // As in the crontab: the order push five minutes past the hour, so the two jobs do not
  // start together at 04:00 and 05:00 (both on one database, both on one Lizzy).
  it('the Task Scheduler tasks start at the same minutes as the crontab lines', () => {
    const cronMinutes = readFileSync(path.join(ROOT, 'contrib', 'cron', 'crontab'), 'utf8')
      .split('\n')
      .filter((l) => /^\d/.test(l))
      .map((l) => [l.includes('inventory pull') ? 'inventory' : 'orders', Number(l.split(' ')[0])]);
    expect(cronMinutes).toEqual([['inventory', 0], ['orders', 5]]);
    for (const [job, minute] of cronMinutes) {
      const xml = readFileSync(path.join(ROOT, 'contrib', 'windows', `lizzy-sync-${job}.xml`), 'utf8');
      expect(xml).toContain(`<StartBoundary>2026-01-01T00:${String(minute).padStart(2, '0')}:00</StartBoundary>`);
    }
  });
});
