import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Node as YamlNode, type Pair } from 'yaml';
import { ConfigError } from '../errors.js';
import { redact, registerSecret, urlPasswords } from '../util/redact.js';
import { didYouMean } from '../util/suggest.js';
import { parseCron } from '../schedule/cron.js';
import { isValidTimeZone, type Weekday } from '../schedule/zone.js';
import { configSpec, type CatalogKind, type Config, type PartNumberRules, type Source, type Spec, type VendorMapping } from './schema.js';

export const DEFAULT_CONFIG_FILE = 'lizzy-sync.yaml';

interface Problem {
  line?: number;
  col?: number;
  path: string;
  message: string;
}

/** Keys whose unresolved ${VAR} is not fatal at load time (only commands that need them fail). */
const DEFERRED_ENV_KEYS = new Set(['lizzy.apiKey']);

/**
 * Load, validate and resolve a config file. Every problem is collected and reported at once,
 * each with file:line:col, the key path and what is expected.
 */
export function loadConfig(file: string, env: NodeJS.ProcessEnv = process.env): Config {
  const abs = path.resolve(file);
  let text: string;
  try {
    const bytes = readFileSync(abs);
    // Notepad's "Unicode" is UTF-16: read as UTF-8 it is a NUL between every letter, and the
    // YAML error named line 1 with no word about why (found by a new-user walkthrough).
    const bom16 = bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff));
    if (bom16 || bytes.subarray(0, 200).includes(0)) {
      const utf32 = (bytes[0] === 0xff && bytes[1] === 0xfe && bytes[2] === 0 && bytes[3] === 0) || (bytes[0] === 0 && bytes[1] === 0 && bytes[2] === 0xfe && bytes[3] === 0xff);
      throw new ConfigError(`${abs} is saved as ${utf32 ? 'UTF-32' : 'UTF-16 ("Unicode" in Notepad)'}, not UTF-8.`, {
        hint: 'Save it again as UTF-8 (Notepad: File > Save As, Encoding: UTF-8).',
      });
    }
    text = bytes.toString('utf8');
    // Saved as "ANSI" (Windows-1252), "MOTÖ" read as "MOT\uFFFD" and the row never matched
    // (found by a new-user walkthrough): refuse with the line, as catalog import does.
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      const line = text.slice(0, text.indexOf('\uFFFD')).split('\n').length;
      throw new ConfigError(`${abs}:${line}: the file is not UTF-8 text (saved as "ANSI" or Windows-1252?), so accented letters would be read wrongly.`, {
        hint: 'Save it again as UTF-8 (Notepad: File > Save As, Encoding: UTF-8).',
      });
    }
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new ConfigError(`No config file at ${abs}.`, {
        hint: `Copy config.example.yaml to ${DEFAULT_CONFIG_FILE} and edit it, or pass --config PATH.`,
      });
    }
    throw new ConfigError(`Cannot read config file ${abs}: ${(err as Error).message}`);
  }
  return parseConfig(text, abs, env);
}

export function parseConfig(text: string, abs: string, env: NodeJS.ProcessEnv = process.env): Config {
  const rel = path.relative(process.cwd(), abs);
  const display = rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : abs;
  registerSecret(env.LIZZY_API_KEY?.trim());
  const lc = new LineCounter();
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const docs = parseAllDocuments(text, { version: '1.2', lineCounter: lc, uniqueKeys: true, prettyErrors: true });
  const fail = (problems: Problem[]): never => {
    const lines = problems.map((p) => {
      const where = p.line ? `${display}:${p.line}${p.col ? `:${p.col}` : ''}` : display;
      return redact(`${where}: ${p.path ? `${p.path}: ` : ''}${p.message}`);
    });
    throw new ConfigError(
      problems.length === 1 ? `Invalid config: ${lines[0]}` : `Invalid config (${problems.length} problems):\n  ${lines.join('\n  ')}`,
      { hint: 'See config.example.yaml for every key, its type and its default.' },
    );
  };
  if (!Array.isArray(docs)) fail([{ path: '', message: 'not a YAML document' }]);
  const list = docs as Exclude<typeof docs, { empty: true }>;
  if (list.length === 0) fail([{ path: '', message: 'the file is empty; it needs at least a "lizzy:" section' }]);
  if (list.length > 1) {
    const pos = lc.linePos(list[1]!.range[0]);
    fail([{ line: pos.line, path: '', message: 'more than one YAML document ("---"); keep the whole config in one document' }]);
  }
  const doc = list[0]!;
  if (doc.directives?.yaml?.explicit && doc.directives.yaml.version !== '1.2') {
    fail([
      {
        line: 1,
        path: '',
        message: `%YAML ${doc.directives.yaml.version} is not accepted: lizzy-sync reads YAML 1.2 only (YAML 1.1 would turn NO into false and 0123 into 83). Remove the %YAML line.`,
      },
    ]);
  }
  const syntax = [...doc.errors].map((e) => ({
    line: e.linePos?.[0].line,
    col: e.linePos?.[0].col,
    path: '',
    message: `YAML syntax: ${e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`,
  }));
  if (syntax.length > 0) fail(syntax);

  const problems: Problem[] = [];
  const sources: Record<string, Source> = {};
  const deferred: Record<string, string> = {};
  const at = (node: YamlNode | null | undefined) => {
    if (!node?.range) return {};
    const p = lc.linePos(node.range[0]);
    return { line: p.line, col: p.col };
  };
  const interpolate = (raw: string, keyPath: string, node: YamlNode): string | undefined => {
    let missing: string | undefined;
    let fromEnv = false;
    const out = raw.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g, (_m, name: string, dflt?: string) => {
      const v = env[name];
      if (v !== undefined && v !== '') {
        fromEnv = true;
        return v;
      }
      if (dflt !== undefined) return dflt;
      missing ??= name;
      return '';
    });
    if (missing) {
      if (DEFERRED_ENV_KEYS.has(keyPath)) {
        deferred[keyPath] = missing;
        return undefined;
      }
      problems.push({ ...at(node), path: keyPath, message: `environment variable ${missing} is not set (the value is "${raw}")` });
      return undefined;
    }
    // Only a value an environment variable gave is "env"; a ${VAR:-default} that fell back
    // to its default came from the file (config check said "env" for it).
    if (fromEnv) sources[keyPath] = 'env';
    return out;
  };

  const walk = (spec: Spec, given: YamlNode | null | undefined, keyPath: string): unknown => {
    const where = at(given);
    // An alias (*name) stands for the node its anchor (&name) marks, as YAML 1.2 says (a
    // break-it pass found "manufacturer: *v" refused as "a list or section"). The walk follows
    // the schema, so a chain of aliases cannot make it go deeper than the config itself.
    const node = isAlias(given) ? (given.resolve(doc) as YamlNode | undefined) : given;
    const isNull = !node || (isScalar(node) && node.value === null);
    switch (spec.kind) {
      case 'object': {
        if (!isNull && !isMap(node)) {
          problems.push({ ...where, path: keyPath, message: `expected a section of keys (${Object.keys(spec.fields).join(', ')})` });
          return undefined;
        }
        const out: Record<string, unknown> = {};
        const seen = new Set<string>();
        for (const pair of (isNull ? [] : (node as { items: unknown[] }).items) as Pair<YamlNode, YamlNode>[]) {
          const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
          const kp = keyPath ? `${keyPath}.${key}` : String(key);
          if (key === undefined || !(key in spec.fields)) {
            const guess = key ? didYouMean(key, Object.keys(spec.fields)) : undefined;
            problems.push({
              ...at(pair.key),
              path: kp,
              message: `unknown key "${key}"${guess ? `; did you mean "${guess}"?` : ''} (allowed here: ${Object.keys(spec.fields).join(', ')})`,
            });
            continue;
          }
          seen.add(key);
          const v = walk(spec.fields[key]!.spec, pair.value, kp);
          if (v !== undefined) {
            out[key] = v;
            sources[kp] ??= 'file';
          }
        }
        for (const [key, field] of Object.entries(spec.fields)) {
          const kp = keyPath ? `${keyPath}.${key}` : key;
          if (seen.has(key)) continue;
          if (field.required) {
            problems.push({ ...where, path: kp, message: `missing required key "${key}"` });
          } else if (field.default !== undefined) {
            out[key] = field.spec.kind === 'object' ? walk(field.spec, null, kp) : structuredClone(field.default);
            sources[kp] ??= 'default';
          }
        }
        return out;
      }
      case 'array': {
        if (isNull) return [];
        if (!isSeq(node)) {
          problems.push({ ...where, path: keyPath, message: 'expected a list (items starting with "- ", or [a, b])' });
          return undefined;
        }
        return node.items.map((item, i) => {
          const v = walk(spec.of, item as YamlNode, `${keyPath}[${i}]`);
          if (v && typeof v === 'object' && !Array.isArray(v)) {
            Object.defineProperty(v, '__line', { value: at(item as YamlNode).line ?? 0, enumerable: false });
          }
          return v;
        });
      }
      case 'string': {
        if (isNull) {
          problems.push({ ...where, path: keyPath, message: 'expected a value, found nothing' });
          return undefined;
        }
        if (!isScalar(node)) {
          problems.push({ ...where, path: keyPath, message: 'expected a single value, found a list or section' });
          return undefined;
        }
        if (spec.secret) {
          // Known before anything can print it, whatever YAML made of it (a number, !!binary).
          registerSecret((node as { source?: string }).source);
          registerSecret(String(node.value));
        }
        if (typeof node.value !== 'string') {
          const src = (node as { source?: string }).source ?? String(node.value);
          if (spec.secret) {
            problems.push({ ...where, path: keyPath, message: `expected text, found a ${typeof node.value} (value not shown: it is secret); put it in quotes` });
            return undefined;
          }
          problems.push({
            ...where,
            path: keyPath,
            message: spec.identifier
              ? `expected text but YAML read ${src} as a ${typeof node.value}; identifiers must be strings: write "${src}" in quotes`
              : `expected text, found ${typeof node.value} ${src}; put it in quotes if it is meant as text`,
          });
          return undefined;
        }
        const value = interpolate(node.value, keyPath, node);
        if (value === undefined) return undefined;
        if (spec.secret) registerSecret(value.trim());
        if (spec.nonEmpty && value.trim() === '') {
          problems.push({ ...where, path: keyPath, message: 'must not be empty' });
          return undefined;
        }
        if (spec.oneOf && !spec.oneOf.includes(value)) {
          // "Sun", "SATURDAY", "Aftermarket": a different case or an abbreviation of one option.
          const low = value.trim().toLowerCase();
          const guess =
            spec.oneOf.find((o) => o.toLowerCase() === low) ??
            (low.length >= 2 ? spec.oneOf.filter((o) => o.toLowerCase().startsWith(low)) : []).find((_o, _i, all) => all.length === 1) ??
            didYouMean(value, spec.oneOf);
          problems.push({
            ...where,
            path: keyPath,
            message: `"${value}" is not one of ${spec.oneOf.join(', ')}${guess ? `; did you mean "${guess}"?` : ''}`,
          });
          return undefined;
        }
        return value;
      }
      case 'digits': {
        if (isNull || !isScalar(node)) {
          problems.push({ ...where, path: keyPath, message: 'expected a number such as 12345' });
          return undefined;
        }
        let raw = typeof node.value === 'number' ? (node as { source?: string }).source ?? String(node.value) : node.value;
        if (typeof raw === 'string') raw = interpolate(raw, keyPath, node);
        if (raw === undefined) return undefined;
        if (typeof raw !== 'string' || !/^\d+$/.test(raw.trim())) {
          problems.push({ ...where, path: keyPath, message: `expected digits only (the numeric ID Lizzy support gave you), found ${JSON.stringify(raw)}` });
          return undefined;
        }
        return raw.trim();
      }
      case 'integer': {
        let v: unknown = isScalar(node) ? node.value : undefined;
        if (typeof v === 'string' && /\$\{/.test(v)) {
          const s = interpolate(v, keyPath, node!);
          if (s === undefined) return undefined; // the unset variable is the problem, said once
          v = /^-?\d+$/.test(s.trim()) ? Number(s) : s;
        }
        if (typeof v !== 'number' || !Number.isInteger(v)) {
          problems.push({ ...where, path: keyPath, message: `expected a whole number, found ${describe(node)}` });
          return undefined;
        }
        if ((spec.min !== undefined && v < spec.min) || (spec.max !== undefined && v > spec.max)) {
          problems.push({ ...where, path: keyPath, message: `expected a whole number from ${spec.min} to ${spec.max}, found ${v}` });
          return undefined;
        }
        return v;
      }
      case 'boolean': {
        let v: unknown = isScalar(node) ? node.value : undefined;
        if (typeof v === 'string' && /\$\{/.test(v)) {
          const s = interpolate(v, keyPath, node!);
          if (s === undefined) return undefined;
          v = s.trim() === 'true' ? true : s.trim() === 'false' ? false : s;
        }
        if (typeof v !== 'boolean') {
          problems.push({ ...where, path: keyPath, message: `expected true or false, found ${describe(node)}` });
          return undefined;
        }
        return v;
      }
    }
  };

  const raw = walk(configSpec, doc.contents as YamlNode, '') as Record<string, any> | undefined;
  if (!raw || problems.length > 0) fail(problems.length ? problems : [{ path: '', message: 'unreadable config' }]);
  const r = raw as Record<string, any>;

  // Rules that span keys.
  const vendors: VendorMapping[] = [];
  (r.vendors as Array<Record<string, any>>).forEach((row, index) => {
    if (!row) return;
    const line = (row as { __line?: number }).__line ?? 0;
    const kp = `vendors[${index}]`;
    const catalog = row.catalog as CatalogKind;
    if (catalog === 'aftermarket') {
      if (row.manufacturer !== undefined)
        problems.push({ line, path: `${kp}.manufacturer`, message: `an aftermarket row names a distributor abbreviation, not a manufacturer: use "distributor: ${row.distributor === undefined ? String(row.manufacturer) : '...'}" instead (or set catalog: oem/private)` });
      if (row.distributor === undefined)
        problems.push({ line, path: `${kp}.distributor`, message: 'an aftermarket row needs "distributor:" (the distributor abbreviation, for example PU)' });
    } else if (catalog === 'oem' || catalog === 'private') {
      if (row.distributor !== undefined)
        problems.push({ line, path: `${kp}.distributor`, message: `an ${catalog} row names a manufacturer, not a distributor: use "manufacturer: ${row.manufacturer === undefined ? String(row.distributor) : '...'}" instead (or set catalog: aftermarket)` });
      if (row.manufacturer === undefined)
        problems.push({ line, path: `${kp}.manufacturer`, message: `an ${catalog} row needs "manufacturer:" (for example HONDA)` });
    }
    vendors.push({
      vendor: row.vendor,
      catalog,
      distributor: row.distributor,
      manufacturer: row.manufacturer,
      usePricing: row.usePricing ?? false,
      partNumbers: partNumberRules(row.partNumbers),
      index,
      line,
    });
  });
  // Where a setting is written, for the rules checked after the walk (nothing for a default).
  const where = (keyPath: string) => {
    const node = doc.getIn(keyPath.split('.'), true) as YamlNode | undefined;
    return at(node);
  };
  for (const job of ['inventory', 'orders'] as const) {
    try {
      parseCron(r.schedule[job]);
    } catch (err) {
      problems.push({ ...where(`schedule.${job}`), path: `schedule.${job}`, message: (err as Error).message });
    }
  }
  if (!isValidTimeZone(r.schedule.timezone)) {
    const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
    const guess = didYouMean(String(r.schedule.timezone), zones);
    problems.push({
      ...where('schedule.timezone'),
      path: 'schedule.timezone',
      message: `"${r.schedule.timezone}" is not a time zone name; ${guess ? `did you mean "${guess}"?` : 'use an IANA name such as America/Los_Angeles'}`,
    });
  }
  // Written as a shell would take them, which YAML does not: "~/x" and "$HOME/x" would
  // become folders named "~" and "$HOME", and "$LIZZY_API_KEY" would be the key itself.
  for (const keyPath of ['database.sqlite', 'reports.dir', 'logging.file', 'lizzy.apiKey'] as const) {
    const [section, key] = keyPath.split('.') as [string, string];
    const v = (r as Record<string, Record<string, unknown>>)[section]?.[key];
    if (sources[keyPath] !== 'file' || typeof v !== 'string') continue;
    if (keyPath !== 'lizzy.apiKey' && /^~(\/|\\|$)/.test(v)) {
      problems.push({ ...where(keyPath), path: keyPath, message: `"${v}": "~" is not expanded here; write the full path (or one relative to the config file)` });
    }
    // For the key, only a whole value "$NAME": a real key may hold a "$".
    const bare = (keyPath === 'lizzy.apiKey' ? /^\s*\$([A-Za-z_][A-Za-z0-9_]*)\s*$/ : /\$([A-Za-z_][A-Za-z0-9_]*)/).exec(v);
    if (bare && !v.includes('${')) {
      problems.push({
        ...where(keyPath),
        path: keyPath,
        // The key's value is registered as a secret and would print as ***: name no part of it.
        message:
          keyPath === 'lizzy.apiKey'
            ? 'starts with "$" and would be used as the key itself: to read a variable, write its name in braces, ${LIZZY_API_KEY}'
            : `"${v}": an environment variable is written \${${bare[1]}} (with braces)`,
      });
    }
  }
  if (r.database.postgres !== undefined) {
    // The database password is a secret like the API key: redacted from every message.
    for (const pw of urlPasswords(r.database.postgres)) registerSecret(pw);
    if (sources['database.sqlite'] === 'file') problems.push({ ...where('database.postgres'), path: 'database', message: 'name either "sqlite" or "postgres", not both' });
    const sslmode = /[?&]sslmode=([^&]*)/.exec(r.database.postgres)?.[1];
    const SSLMODES = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full', 'no-verify'];
    if (sslmode !== undefined && !SSLMODES.includes(sslmode)) {
      problems.push({ ...where('database.postgres'), path: 'database.postgres', message: `sslmode=${sslmode} is not one of ${SSLMODES.join(', ')}` });
    }
    if (!/^postgres(ql)?:\/\//.test(r.database.postgres)) {
      problems.push({ ...where('database.postgres'), path: 'database.postgres', message: 'expected a URL such as postgres://user@host:5432/dbname (sslmode=require as a query parameter where needed)' });
    } else if (!URL.canParse(r.database.postgres) || /^postgres(ql)?:\/\/[^/?#]*[/?#][^@]*@/.test(r.database.postgres)) {
      // An '@' after the host part: a '/', '?' or '#' in the password cut the user info short,
      // so "postgres:2024/Spring@127.0.0.1" read as host "postgres" (new-user walkthrough).
      // As the driver reads it: a '/' in the password or a port that is not a number was
      // exit 3 "database unusable: Invalid URL" (found by a break-it pass). Not echoed: it holds the password.
      problems.push({
        ...where('database.postgres'),
        path: 'database.postgres',
        message: 'is not a valid URL: check the port, and percent-encode characters URLs reserve in the user name or password (/ as %2F, @ as %40, : as %3A, # as %23, ? as %3F)',
      });
    }
  }
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(r.database.schema)) {
    problems.push({ ...where('database.schema'), path: 'database.schema', message: `"${r.database.schema}" is not a plain schema name (letters, digits, underscores)` });
  }
  if (r.notify.webhookUrl !== undefined) {
    try {
      new URL(r.notify.webhookUrl);
    } catch {
      problems.push({ ...where('notify.webhookUrl'), path: 'notify.webhookUrl', message: `"${r.notify.webhookUrl}" is not a URL` });
    }
  }
  try {
    new URL(r.lizzy.baseUrl);
  } catch {
    const bare = String(r.lizzy.baseUrl);
    const scheme = /^(localhost|127\.|\[::1\])/.test(bare) ? 'http' : 'https';
    const hint = /^[\w.[\]:-]+(\/|$)/.test(bare) ? `; did you mean "${scheme}://${bare}"?` : '; the default is https://api.nizex.com';
    problems.push({ ...where('lizzy.baseUrl'), path: 'lizzy.baseUrl', message: `"${bare}" is not a URL${hint}` });
  }
  if (problems.length > 0) fail(problems);

  const dir = path.dirname(abs);
  let apiKey: string | undefined = r.lizzy.apiKey;
  // A blank LIZZY_API_KEY (a variable set to spaces) is unset, not a key that hides the file's.
  const envKey = env.LIZZY_API_KEY?.trim();
  if (envKey) {
    apiKey = envKey;
    sources['lizzy.apiKey'] = 'env';
  }
  return {
    file: abs,
    dir,
    lizzy: {
      baseUrl: String(r.lizzy.baseUrl).replace(/\/+$/, ''),
      apiKey: apiKey?.trim() || undefined,
      webstoreId: r.lizzy.webstoreId,
      timeoutSeconds: r.lizzy.timeoutSeconds,
      retries: r.lizzy.retries,
      maxRetryAfterSeconds: r.lizzy.maxRetryAfterSeconds,
    },
    database: {
      sqlite: path.resolve(dir, r.database.sqlite),
      postgres: r.database.postgres,
      schema: r.database.schema,
    },
    reports: { dir: path.resolve(dir, r.reports.dir) },
    inventory: {
      clearPreviousQuantities: r.inventory.clearPreviousQuantities,
      disabledDays: r.inventory.disabledDays as Weekday[],
      lookbackDays: r.inventory.lookbackDays,
    },
    orders: { ...r.orders },
    schedule: { ...r.schedule },
    runTimeoutMinutes: r.runTimeoutMinutes,
    logging: { file: r.logging.file ? path.resolve(dir, r.logging.file) : undefined },
    notify: { command: r.notify.command, webhookUrl: r.notify.webhookUrl, on: r.notify.on },
    vendors,
    sources,
    ...(Object.keys(deferred).length > 0 && !(envKey && deferred['lizzy.apiKey']) ? { unsetVars: { ...deferred } } : {}),
  };
}

/** A row's partNumbers section; undefined when it asks for nothing beyond exact comparison. */
function partNumberRules(raw: Record<string, any> | undefined): PartNumberRules | undefined {
  if (!raw) return undefined;
  const rules: PartNumberRules = { ignoreCase: raw.ignoreCase === true, ignoreSeparators: raw.ignoreSeparators === true };
  if (typeof raw.stripPrefix === 'string') rules.stripPrefix = raw.stripPrefix;
  return rules.ignoreCase || rules.ignoreSeparators || rules.stripPrefix !== undefined ? rules : undefined;
}

function describe(node: YamlNode | null | undefined): string {
  if (!node) return 'nothing';
  if (isScalar(node)) {
    const src = (node as { source?: string }).source;
    return src !== undefined ? JSON.stringify(src) : JSON.stringify(node.value);
  }
  return isSeq(node) ? 'a list' : 'a section';
}

/** Fail unless the config can call Lizzy. */
export function requireApiKey(config: Config): string {
  if (!config.lizzy.apiKey) {
    const unset = config.unsetVars?.['lizzy.apiKey'];
    if (unset) {
      throw new ConfigError(`No Lizzy API key: lizzy.apiKey in ${config.file} takes it from the environment variable ${unset}, which is not set.`, {
        hint: `Set ${unset} in the environment this runs in (or check its spelling; the usual name is LIZZY_API_KEY).`,
      });
    }
    throw new ConfigError(`No Lizzy API key: set lizzy.apiKey in ${config.file} or the environment variable LIZZY_API_KEY.`, {
      hint: 'Lizzy technical support issues the key (one per dealership).',
    });
  }
  // cmd's `set LIZZY_API_KEY="..."` keeps the quotes as part of the value; Lizzy then said
  // only 401 (found by a new-user walkthrough). No key starts and ends with a quote.
  const k = config.lizzy.apiKey;
  if (k.length >= 2 && /^["'“”‘’].*["'“”‘’]$/s.test(k)) {
    throw new ConfigError(`The Lizzy API key ${config.sources['lizzy.apiKey'] === 'env' ? 'in LIZZY_API_KEY' : `in ${config.file}`} starts and ends with a quote character, which would be sent as part of it.`, {
      hint: 'Set it without the quotes (Windows cmd: set LIZZY_API_KEY=your-key; the quotes of setx /M LIZZY_API_KEY "your-key" are not kept).',
    });
  }
  return k;
}

export function requireWebstoreId(config: Config): string {
  if (!config.lizzy.webstoreId) {
    throw new ConfigError(`No Webstore ID: set lizzy.webstoreId in ${config.file}.`, {
      hint: 'It is the number in parentheses next to your webstore name in the Lizzy Webstore Interface.',
    });
  }
  return config.lizzy.webstoreId;
}
