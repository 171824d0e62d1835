import { editDistance } from "../core/edit-distance.js";
import { terminalText } from "../core/clean-text.js";

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

/**
 * ` (did you mean "NAME"?)` for the item named most like `word`, or nothing. A name that would not
 * show as it is (a control or invisible character in it) cannot be typed back, so its id is given too.
 */
export function didYouMeanNamed(word: string, items: ReadonlyArray<{ id: string; name: string }>): string {
  const match = closest(
    word,
    items.map((item) => item.name),
  );
  const item = items.find((i) => i.name === match);
  if (item === undefined) return "";
  const name = terminalText(item.name);
  return name === item.name ? ` (did you mean "${name}"?)` : ` (did you mean "${name}", id ${item.id}?)`;
}
