import { randomFillSync } from "node:crypto";
import { hexByte } from "../core/hex.js";

/**
 * UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, then a 12-bit counter within the millisecond
 * (rand_a, RFC 9562 §6.2 method 1), then 62 random bits. For rows written at volume (alerts,
 * incidents, deliveries): a new id lands at the end of the primary-key index instead of on a random
 * page, so a commit dirties a few pages rather than one per row. `at` is the unit of work's clock.
 */
export function newTimeOrderedId(at: Date): string {
  if (at.getTime() > lastMs) {
    lastMs = at.getTime();
    sequence = 0;
  } else if (++sequence > 0xfff) {
    // A clock that stood still or went back (a fake clock, NTP) still yields ids in order.
    lastMs++;
    sequence = 0;
  }
  if (timePrefixMs !== lastMs) {
    // The ids of one unit of work share their millisecond: print it once.
    const time = lastMs.toString(16).padStart(12, "0").slice(-12);
    timePrefix = `${time.slice(0, 8)}-${time.slice(8)}-`;
    timePrefixMs = lastMs;
  }
  const random = randomOffset();
  const versionAndCounter = 0x7000 | sequence;
  // The variant (binary 10), then 62 random bits.
  const variant = 0x80 | ((pool[random] as number) & 0x3f);
  return (
    `${timePrefix}${hexByte(versionAndCounter >>> 8)}${hexByte(versionAndCounter & 0xff)}-` +
    `${hexByte(variant)}${hexByte(pool[random + 1] as number)}-${randomHex(random + 2, random + 8)}`
  );
}

let lastMs = -1;
let sequence = 0;
let timePrefixMs = -1;
let timePrefix = "";

/** The pool's bytes `from` up to `to`, in hex. */
const randomHex = (from: number, to: number): string => {
  let text = "";
  for (let i = from; i < to; i++) text += hexByte(pool[i] as number);
  return text;
};

const POOL_BYTES = 8 * 512;
const pool = Buffer.alloc(POOL_BYTES);
let poolOffset = POOL_BYTES;

/** Where the next eight random bytes are in a pool refilled 512 ids at a time (one syscall instead of 512). */
function randomOffset(): number {
  if (poolOffset >= POOL_BYTES) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const offset = poolOffset;
  poolOffset += 8;
  return offset;
}
