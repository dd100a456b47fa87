const ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
const NANOID_ALPHABET = `${ALPHABET}ABCDEFGHIJKLMNOPQRSTUVWXYZ_-`;

/** Lower-case alphanumeric string, like Dokploy's `generatePassword(n)` used for app name suffixes. */
export function randomSuffix(length: number): string {
  return pick(ALPHABET, length);
}

/** nanoid-shaped id (21 URL-safe characters), the format of every Dokploy primary key. */
export function randomId(): string {
  return pick(NANOID_ALPHABET, 21);
}

function pick(alphabet: string, length: number): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  let out = "";
  for (const byte of bytes) {
    out += alphabet[byte % alphabet.length];
  }
  return out;
}
