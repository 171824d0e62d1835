import type { Layer } from "./schedule.js";

/**
 * The layer as it stands once ended at `atMs`: whatever it covered before stays, nothing after.
 * Rotation versions that would start later are dropped; fixed shifts are cut at `atMs`.
 */
export function endLayerAt(layer: Layer, atMs: number): Layer {
  if (layer.source === "rotation") {
    const versions = layer.versions
      .filter((v) => v.effectiveFromMs < atMs)
      .map((v) =>
        v.effectiveUntilMs === null || v.effectiveUntilMs > atMs ? { ...v, effectiveUntilMs: atMs } : v,
      );
    return { ...layer, versions };
  }
  const shifts = layer.shifts
    .filter((s) => s.startMs < atMs)
    .map((s) => (s.endMs > atMs ? { ...s, endMs: atMs } : s));
  return { ...layer, shifts };
}
