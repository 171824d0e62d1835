import { editDistance } from "../core/edit-distance.js";

/**
 * The candidate a typo most likely meant ("incidnets" → "incidents", "--sate" → "--state", "ack" →
 * "acknowledged"), or undefined when nothing is close: a wrong guess is worse than none.
 */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const typed = word.toLowerCase();
  if (typed === "") return undefined;
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(typed, candidate.toLowerCase());
    if (best === undefined || distance < best.distance) best = { candidate, distance };
  }
  // One slip in a short word, two in a longer one; otherwise a start of at least three letters.
  const letters = typed.replace(/^-+/, "").length;
  if (best !== undefined && best.distance <= (letters <= 4 ? 1 : 2)) return best.candidate;
  if (letters < 3) return undefined;
  const starts = candidates.filter((c) => c.toLowerCase().startsWith(typed));
  return starts.length === 1 ? starts[0] : undefined;
}

/** ` (did you mean X?)`, or nothing. */
export const didYouMean = (word: string, candidates: readonly string[], quote = false): string => {
  const match = closest(word, candidates);
  return match === undefined ? "" : ` (did you mean ${quote ? `"${match}"` : match}?)`;
};
