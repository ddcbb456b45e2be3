import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from './helpers.js';

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

  it('the Task Scheduler tasks never start a second instance and name a working folder', () => {
    for (const f of ['lizzy-sync-inventory.xml', 'lizzy-sync-orders.xml']) {
      const xml = readFileSync(path.join(ROOT, 'contrib', 'windows', f), 'utf8');
      expect(xml).toContain('<MultipleInstancesPolicy>IgnoreNew</MultipleInstancesPolicy>');
      expect(xml).toMatch(/<WorkingDirectory>[^<]+<\/WorkingDirectory>/);
      expect(xml).toMatch(/<Command>[^<]*node\.exe<\/Command>/);
    }
  });
});
