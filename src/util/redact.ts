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
}

export function redact(text: string): string {
  let out = text;
  for (const s of secrets) {
    if (out.includes(s)) out = out.split(s).join('***');
  }
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
