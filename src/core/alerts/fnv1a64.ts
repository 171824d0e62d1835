/**
 * FNV-1a, 64-bit (http://www.isthe.com/chongo/tech/comp/fnv/): the hash Prometheus and Alertmanager use
 * for label fingerprints. Pure and tiny; not for anything that needs to resist a chosen-input attacker.
 */
export const FNV64_OFFSET_BASIS = 0xcbf29ce484222325n;
const FNV64_PRIME = 0x100000001b3n;
const MASK_64 = 0xffffffffffffffffn;

const BYTE_VALUES: readonly bigint[] = Array.from({ length: 256 }, (_, i) => BigInt(i));
const utf8 = new TextEncoder();

/** Continues hash `hash` over `bytes` (start from FNV64_OFFSET_BASIS). */
export function fnv1a64(bytes: Uint8Array, hash: bigint = FNV64_OFFSET_BASIS): bigint {
  let h = hash;
  for (const byte of bytes) {
    h = ((h ^ (BYTE_VALUES[byte] as bigint)) * FNV64_PRIME) & MASK_64;
  }
  return h;
}

/** The UTF-8 bytes of `text`, as Go sees a string (lone surrogates become U+FFFD, as Go's JSON decoder does). */
export function utf8Bytes(text: string): Uint8Array {
  return utf8.encode(text);
}

/** A 64-bit hash printed like Go's `%016x`: 16 lowercase hex digits, zero-padded. */
export function hex64(hash: bigint): string {
  return hash.toString(16).padStart(16, "0");
}

/** FNV-1a 64 of the UTF-8 bytes of `text`, as 16 hex digits. */
export function fnv1a64Hex(text: string): string {
  return hex64(fnv1a64(utf8Bytes(text)));
}
