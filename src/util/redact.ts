/**
 * The API key never appears in output, logs, reports or errors. Every string we print or
 * write passes through redact(), which knows the key and its Basic form.
 */
const secrets = new Set<string>();
/** Base64 (Basic auth) forms: case-sensitive and without per-character forms, so matched as written. */
const exactForms = new Set<string>();

/**
 * Each secret as a pattern in which every character that is not a letter or digit may be
 * written in any of the ways a server or a library may echo it: as itself, %-encoded,
 * HTML-escaped (named, decimal or hex), JSON-escaped (\", \/, \u002b), or a space as +
 * (form encoding); matched in any letter case. One pattern covers mixed forms too. Found by
 * break-it passes: each fixed list of whole forms missed another (Go's &#43;, PHP's \/,
 * Python's quote() leaving / as it is, a lower-cased echo).
 */
const patterns: Array<{ probe?: RegExp; source: string }> = [];

const escapeRe = (t: string) => t.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

function charPattern(c: string): string {
  if (/^[A-Za-z0-9]$/.test(c)) return c;
  const code = c.codePointAt(0)!;
  const alts = new Set<string>([escapeRe(c)]);
  alts.add(escapeRe([...Buffer.from(c, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('')));
  alts.add(`&#0*${code};`);
  alts.add(`&#x0*${code.toString(16)};`);
  if (code <= 0xffff) alts.add(`\\\\u${code.toString(16).padStart(4, '0')}`);
  const named: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
  if (named[c]) alts.add(escapeRe(named[c]));
  const json = JSON.stringify(c).slice(1, -1);
  if (json !== c) alts.add(escapeRe(json));
  if (c === '/') alts.add('\\\\/');
  if (c === ' ') alts.add('\\+');
  return `(?:${[...alts].join('|')})`;
}

export function registerSecret(secret: string | undefined): void {
  if (!secret || secret.length < 4 || secrets.has(secret)) return;
  secrets.add(secret);
  const basic = Buffer.from(secret, 'utf8').toString('base64');
  secrets.add(basic);
  exactForms.add(basic);
  secrets.add(encodeURIComponent(secret));
  secrets.add(JSON.stringify(secret).slice(1, -1));
  // The longest run of letters and digits: a text without it (in any case) cannot hold the
  // secret in any form, so most texts never meet the pattern.
  const runs = secret.match(/[A-Za-z0-9]+/g) ?? [];
  const probe = runs.sort((a, b) => b.length - a.length)[0];
  patterns.push({ probe: probe && probe.length >= 4 ? new RegExp(probe, 'i') : undefined, source: [...secret].map(charPattern).join('') });
}

const PASSWORD_PARAMS = /([?&](?:password|sslpassword)=)[^&#]*/gi;

/**
 * The passwords a database URL carries: the user-info password (as written and %-decoded)
 * and the `password` / `sslpassword` query parameters, which libpq and pg accept too.
 */
export function urlPasswords(url: string): string[] {
  const out: string[] = [];
  const m = /^[a-z][a-z0-9+.-]*:\/\/([^@]*)@/i.exec(url.slice(0, lastAuthorityAt(url) + 1));
  if (m && m[1]!.includes(':')) out.push(m[1]!.slice(m[1]!.indexOf(':') + 1));
  for (const q of url.matchAll(/[?&](?:password|sslpassword)=([^&#]*)/gi)) out.push(q[1]!);
  const all = [...out];
  for (const p of out) {
    try {
      all.push(decodeURIComponent(p));
    } catch {
      // not %-encoded: the raw form is the password
    }
  }
  return all.filter((p) => p !== '');
}

/** Index of the "@" that ends a URL's user info (the last one: a password may hold an unencoded "@"), or -1. */
function lastAuthorityAt(url: string): number {
  const start = url.indexOf('://');
  return start === -1 ? -1 : url.lastIndexOf('@');
}

/**
 * A database URL for messages and `config check`: the user-info password and any password
 * query parameter as ***, whether or not they are %-encoded. When in doubt it hides more
 * (a query holding an "@" hides the host too), never less.
 */
export function maskConnectionUrl(url: string): string {
  let out = url.replace(PASSWORD_PARAMS, '$1***');
  const at = lastAuthorityAt(out);
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(out);
  if (scheme && at > scheme[0].length) {
    const info = out.slice(scheme[0].length, at);
    const colon = info.indexOf(':');
    if (colon !== -1) out = `${scheme[0]}${info.slice(0, colon)}:***${out.slice(at)}`;
  }
  return out;
}

export function redact(text: string): string {
  let out = text;
  for (const s of exactForms) if (out.includes(s)) out = out.split(s).join('***');
  if (patterns.length === 0) return out;
  const active = patterns.filter((p) => !p.probe || p.probe.test(out));
  if (active.length === 0) return out;
  return out.replace(new RegExp(active.map((p) => p.source).join('|'), 'gi'), '***');
}

/**
 * Redact, then shorten to at most `limit` characters (plus "..."). Redacting first means a
 * cut can never leave part of a key behind; a cut that falls inside a key (text that was
 * already cut elsewhere) masks the fragment left at the end as well.
 */
export function clip(text: string, limit: number): string {
  const red = redact(text);
  if (red.length <= limit) return maskTrailingFragment(red);
  return `${maskTrailingFragment(red.slice(0, limit))}...`;
}

/** Shortest secret fragment worth masking at a cut: shorter ones are too common to mean anything. */
const MIN_FRAGMENT = 6;

function maskTrailingFragment(text: string): string {
  for (const s of secrets) {
    for (let k = Math.min(s.length - 1, text.length); k >= MIN_FRAGMENT; k--) {
      if (text.endsWith(s.slice(0, k))) return `${text.slice(0, text.length - k)}***`;
    }
  }
  return text;
}

/** A copy of an environment without the variables that hold a secret (for child processes). */
export function envWithoutSecrets(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined || k === 'LIZZY_API_KEY' || redact(v) !== v) continue;
    out[k] = v;
  }
  return out;
}

/** "abcd…wxyz" style mask for showing which key is configured. */
export function maskSecret(secret: string): string {
  // Show the ends only of a long key (a GUID-like key has 32+ characters): a short one would
  // be half revealed by its first and last four.
  if (secret.length < 20) return '*'.repeat(8);
  return `${secret.slice(0, 4)}${'*'.repeat(8)}${secret.slice(-4)}`;
}
