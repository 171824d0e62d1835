import { createHash, randomBytes, randomUUID, scrypt, timingSafeEqual } from "node:crypto";

/** A random bearer token with a readable prefix, e.g. `fbk_…` for API keys. 256 bits of entropy. */
export const newToken = (prefix: string): string => `${prefix}_${randomBytes(32).toString("base64url")}`;

/** Tokens have 256 bits of entropy, so a fast hash is enough to store them (unlike passwords). */
export const hashToken = (token: string): string => createHash("sha256").update(token).digest("hex");

export const newId = (): string => randomUUID();

// scrypt with N=2^15, r=8, p=1: about 30 ms on the reference machine, 32 MiB of memory.
const SCRYPT = { N: 32768, r: 8, p: 1, keyLength: 32, maxmem: 64 * 1024 * 1024 } as const;

function scryptAsync(password: string, salt: Buffer, N: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password, salt, SCRYPT.keyLength, { N, r, p, maxmem: SCRYPT.maxmem }, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

/** Returns `scrypt$N$r$p$salt$hash`, salt and hash in base64url. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, SCRYPT.N, SCRYPT.r, SCRYPT.p);
  return ["scrypt", SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString("base64url"), key.toString("base64url")].join(
    "$",
  );
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split("$");
  if (parts.length !== 6 || parts[0] !== "scrypt") return false;
  const [, n, r, p, salt, hash] = parts as [string, string, string, string, string, string];
  const expected = Buffer.from(hash, "base64url");
  const actual = await scryptAsync(password, Buffer.from(salt, "base64url"), Number(n), Number(r), Number(p));
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

// A hash of nothing in particular, checked when the email is unknown so that timing does not tell.
let decoyHash: Promise<string> | undefined;
export async function verifyAgainstDecoy(password: string): Promise<false> {
  decoyHash ??= hashPassword("decoy password that no one has");
  await verifyPassword(password, await decoyHash);
  return false;
}
