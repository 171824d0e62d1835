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

/** Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours. */
function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) rows[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = d;
    }
  }
  return rows[a.length]![b.length]!;
}

/** ` (did you mean X?)`, or nothing. */
export const didYouMean = (word: string, candidates: readonly string[], quote = false): string => {
  const match = closest(word, candidates);
  return match === undefined ? "" : ` (did you mean ${quote ? `"${match}"` : match}?)`;
};
