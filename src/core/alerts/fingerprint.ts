import { Fnv1a64 } from "./fnv1a64.js";

/** Byte that cannot occur in UTF-8; Prometheus writes it after every label name and value. */
const SEPARATOR = 0xff;

/**
 * The fingerprint Alertmanager gives an alert (prometheus/common `model.LabelSet.Fingerprint`): FNV-1a 64
 * over the labels sorted by name, each written as `name 0xFF value 0xFF`, printed as 16 lowercase hex
 * digits. The empty set hashes to the offset basis, `cbf29ce484222325`.
 *
 * Go sorts names by their UTF-8 bytes, which is not JavaScript's UTF-16 order once characters outside
 * the Basic Multilingual Plane appear; ASCII names (nearly all) sort the same either way.
 */
export function alertmanagerFingerprint(labels: Readonly<Record<string, string>>): string {
  const names = Object.keys(labels);
  if (names.every(isAscii)) names.sort();
  else names.sort((a, b) => compareBytes(utf8.encode(a), utf8.encode(b)));
  const hash = new Fnv1a64();
  for (const name of names)
    hash
      .string(name)
      .byte(SEPARATOR)
      .string(labels[name] as string)
      .byte(SEPARATOR);
  return hash.hex();
}

const utf8 = new TextEncoder();

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) >= 0x80) return false;
  return true;
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const diff = (a[i] as number) - (b[i] as number);
    if (diff !== 0) return diff;
  }
  return a.length - b.length;
}
