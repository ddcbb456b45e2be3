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
  if (secret.length <= 8) return '*'.repeat(secret.length);
  return `${secret.slice(0, 4)}${'*'.repeat(Math.min(8, secret.length - 8))}${secret.slice(-4)}`;
}
