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

/** "abcd…wxyz" style mask for showing which key is configured. */
export function maskSecret(secret: string): string {
  // Show the ends only of a long key (a GUID-like key has 32+ characters): a short one would
  // be half revealed by its first and last four.
  if (secret.length < 20) return '*'.repeat(8);
  return `${secret.slice(0, 4)}${'*'.repeat(8)}${secret.slice(-4)}`;
}
