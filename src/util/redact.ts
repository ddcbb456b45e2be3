/**
 * The API key never appears in output, logs, reports or errors. Every string we print or
 * write passes through redact(), which knows the key and its Basic form.
 */
const secrets = new Set<string>();

export function registerSecret(secret: string | undefined): void {
  if (!secret || secret.length < 4) return;
  secrets.add(secret);
  secrets.add(Buffer.from(secret, 'utf8').toString('base64'));
  secrets.add(encodeURIComponent(secret));
  // As a message quotes it with JSON.stringify: a key with a quote, a backslash or a tab is
  // written escaped, and the plain form no longer matches (found by a break-it pass).
  secrets.add(JSON.stringify(secret).slice(1, -1));
  // As a server may echo it back: HTML-escaped, %-encoded in lower case, form-encoded
  // (space as +) (found by a break-it pass; only keys with such characters differ).
  const html = secret.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  secrets.add(html.replace(/"/g, '&quot;').replace(/'/g, '&#39;'));
  secrets.add(html.replace(/"/g, '&#34;').replace(/'/g, '&#x27;'));
  secrets.add(encodeURIComponent(secret).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()));
  secrets.add(new URLSearchParams({ k: secret }).toString().slice(2));
  secrets.add(new URLSearchParams({ k: secret }).toString().slice(2).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()));
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
  // A server may echo the key in another case (a lower-cased error text, %2f for %2F; found
  // by a break-it pass): every form is matched regardless of case, in one pass per form.
  const lower = text.toLowerCase();
  if (lower.length !== text.length) return redactExact(text); // a letter whose lower case is longer: positions would not line up
  let out = text;
  let low = lower;
  for (const s of secrets) {
    const l = s.toLowerCase();
    if (l.length !== s.length) {
      if (out.includes(s)) {
        out = out.split(s).join('***');
        low = out.toLowerCase();
      }
      continue;
    }
    if (!low.includes(l)) continue;
    let res = '';
    let from = 0;
    for (let i = low.indexOf(l); i !== -1; i = low.indexOf(l, i + l.length)) {
      res += `${out.slice(from, i)}***`;
      from = i + l.length;
    }
    out = res + out.slice(from);
    low = out.toLowerCase();
  }
  return out;
}

function redactExact(text: string): string {
  let out = text;
  for (const s of secrets) if (out.includes(s)) out = out.split(s).join('***');
  return out;
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
