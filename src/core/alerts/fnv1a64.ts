/**
 * FNV-1a, 64-bit (http://www.isthe.com/chongo/tech/comp/fnv/): the hash Prometheus and Alertmanager use
 * for label fingerprints. Pure and tiny; not for anything that needs to resist a chosen-input attacker.
 */

import { hexByte } from "../hex.js";

const utf8 = new TextEncoder();

/**
 * A running FNV-1a 64 hash, held in four 16-bit limbs (low first) so that each byte costs a few
 * integer multiplications instead of BigInt arithmetic (a BigInt per byte was 8% of an alert's ingest).
 */
export class Fnv1a64 {
  // The offset basis, 0xcbf29ce484222325.
  private h0 = 0x2325;
  private h1 = 0x8422;
  private h2 = 0x9ce4;
  private h3 = 0xcbf2;

  /** Folds in one byte: xor, then multiply by the prime 2^40 + 0x1b3, modulo 2^64. */
  byte(value: number): this {
    const h0 = this.h0 ^ value;
    const h1 = this.h1;
    const t0 = h0 * 0x1b3;
    const t1 = this.h1 * 0x1b3 + (t0 >>> 16);
    // h << 40: the low limb lands 8 bits into limb 2, the next one 8 bits into limb 3.
    const t2 = this.h2 * 0x1b3 + (h0 << 8) + (t1 >>> 16);
    const t3 = this.h3 * 0x1b3 + (h1 << 8) + (t2 >>> 16);
    this.h0 = t0 & 0xffff;
    this.h1 = t1 & 0xffff;
    this.h2 = t2 & 0xffff;
    this.h3 = t3 & 0xffff;
    return this;
  }

  bytes(values: Uint8Array): this {
    for (const value of values) this.byte(value);
    return this;
  }

  /** The UTF-8 bytes of `text`, as Go sees a string (lone surrogates become U+FFFD, as Go's JSON decoder does). */
  string(text: string): this {
    for (let i = 0; i < text.length; i++) {
      const unit = text.charCodeAt(i);
      if (unit >= 0x80) return this.bytes(utf8.encode(i === 0 ? text : text.slice(i)));
      this.byte(unit);
    }
    return this;
  }

  /** Printed like Go's `%016x`: 16 lowercase hex digits, zero-padded. */
  hex(): string {
    return hexLimb(this.h3) + hexLimb(this.h2) + hexLimb(this.h1) + hexLimb(this.h0);
  }
}

/** A 16-bit limb as four hex digits: two table look-ups rather than toString, padStart and join. */
const hexLimb = (limb: number): string => hexByte(limb >>> 8) + hexByte(limb & 0xff);

/** FNV-1a 64 of the UTF-8 bytes of `text`, as 16 hex digits. */
export function fnv1a64Hex(text: string): string {
  return new Fnv1a64().string(text).hex();
}
