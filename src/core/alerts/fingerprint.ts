import { fnv1a64, FNV64_OFFSET_BASIS, hex64, utf8Bytes } from "./fnv1a64.js";

/** Byte that cannot occur in UTF-8; Prometheus writes it after every label name and value. */
const SEPARATOR = new Uint8Array([0xff]);

/**
 * The fingerprint Alertmanager gives an alert (prometheus/common `model.LabelSet.Fingerprint`): FNV-1a 64
 * over the labels sorted by name, each written as `name 0xFF value 0xFF`, printed as 16 lowercase hex
 * digits. The empty set hashes to the offset basis, `cbf29ce484222325`.
 *
 * Go sorts names by their UTF-8 bytes, which is not JavaScript's UTF-16 order once characters outside
 * the Basic Multilingual Plane appear, so the names are compared as bytes here too.
 */
export function alertmanagerFingerprint(labels: Readonly<Record<string, string>>): string {
  const pairs = Object.entries(labels).map(([name, value]) => ({
    name: utf8Bytes(name),
    value: utf8Bytes(value),
  }));
  pairs.sort((a, b) => compareBytes(a.name, b.name));
  let hash = FNV64_OFFSET_BASIS;
  for (const { name, value } of pairs) {
    hash = fnv1a64(name, hash);
    hash = fnv1a64(SEPARATOR, hash);
    hash = fnv1a64(value, hash);
    hash = fnv1a64(SEPARATOR, hash);
  }
  return hex64(hash);
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const diff = (a[i] as number) - (b[i] as number);
    if (diff !== 0) return diff;
  }
  return a.length - b.length;
}
