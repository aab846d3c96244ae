/** Removes secrets from text before it is logged or shown. */

const PATTERNS: Array<[RegExp, string]> = [
  // Salesforce session ids / access tokens: 00D + org id, "!", then the secret part.
  [/\b00D[A-Za-z0-9]{12,15}![A-Za-z0-9._\-]+/g, '00D…!<redacted>'],
  [/(Bearer\s+)[A-Za-z0-9._~+/=\-!]+/gi, '$1<redacted>'],
  [/((?:access_token|refresh_token|sessionId|client_secret)["']?\s*[:=]\s*["']?)[^"'&\s<,}]+/gi, '$1<redacted>'],
  [/(<(?:\w+:)?sessionId>)[^<]*/gi, '$1<redacted>'],
];

export function scrubSecrets(text: string): string {
  let out = text;
  for (const [re, by] of PATTERNS) out = out.replace(re, by);
  return out;
}
