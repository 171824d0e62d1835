/**
 * Intervals stacked by precedence, as overrides (the one created last wins) and an imported layer's
 * fixed shifts (the later in the list wins) are: flattened once into sorted, disjoint pieces so that
 * "who is it at t, and from when to when" is a binary search.
 */

export interface StackedPiece<T> {
  readonly startMs: number;
  readonly endMs: number;
  readonly item: T;
}

export interface Stack<T> {
  /** Where each item wins, sorted and disjoint; an item hidden in the middle gives two pieces. */
  readonly pieces: readonly StackedPiece<T>[];
  /** `pieces` with touching pieces of the same key joined: the maximal stretches. */
  readonly runs: readonly StackedPiece<T>[];
}

/** What a stack says at an instant: an item and its run, or null and the gap around the instant. */
export interface StackSegment<T> {
  readonly item: T | null;
  readonly startMs: number;
  readonly endMs: number;
}

/**
 * Flattens `items`: `compareStrength` is positive when the first hides the second where both cover (it
 * gets each item's index in `items` to break ties); `keyOf` says which touching pieces are one stretch.
 * Items that are empty or not finite are left out.
 */
export function stackIntervals<T extends { readonly startMs: number; readonly endMs: number }>(
  items: readonly T[],
  compareStrength: (a: T, aIndex: number, b: T, bIndex: number) => number,
  keyOf: (item: T) => string,
): Stack<T> {
  const order = items
    .map((item, index) => ({ item, index }))
    .filter(
      ({ item }) => Number.isFinite(item.startMs) && Number.isFinite(item.endMs) && item.endMs > item.startMs,
    )
    .sort((a, b) => compareStrength(b.item, b.index, a.item, a.index));
  // Paint from the strongest down: each item keeps only what is still bare.
  const painted: Array<StackedPiece<T>> = [];
  for (const { item } of order) {
    let at = firstEndingAfter(painted, item.startMs);
    let cursor = item.startMs;
    const added: Array<StackedPiece<T>> = [];
    while (cursor < item.endMs) {
      const next = painted[at];
      const bareUntil = next === undefined ? item.endMs : Math.min(item.endMs, next.startMs);
      if (bareUntil > cursor) added.push({ startMs: cursor, endMs: bareUntil, item });
      if (next === undefined || next.startMs >= item.endMs) break;
      cursor = next.endMs;
      at++;
    }
    for (const piece of added) painted.splice(firstEndingAfter(painted, piece.startMs), 0, piece);
  }
  const runs: Array<StackedPiece<T>> = [];
  for (const piece of painted) {
    const last = runs[runs.length - 1];
    if (last !== undefined && last.endMs === piece.startMs && keyOf(last.item) === keyOf(piece.item))
      runs[runs.length - 1] = { ...last, endMs: piece.endMs };
    else runs.push(piece);
  }
  return { pieces: painted, runs };
}

/** The run holding `atMs`, or the gap between runs around it. */
export function stackSegmentAt<T>(stack: Stack<T>, atMs: number): StackSegment<T> {
  const { runs } = stack;
  const index = firstEndingAfter(runs, atMs);
  const run = runs[index];
  if (run !== undefined && run.startMs <= atMs) return run;
  return {
    item: null,
    startMs: runs[index - 1]?.endMs ?? -Infinity,
    endMs: run?.startMs ?? Infinity,
  };
}

/** The pieces overlapping [fromMs, toMs), cut to it. */
export function stackPiecesBetween<T>(stack: Stack<T>, fromMs: number, toMs: number): Array<StackedPiece<T>> {
  const found: Array<StackedPiece<T>> = [];
  for (let index = firstEndingAfter(stack.pieces, fromMs); index < stack.pieces.length; index++) {
    const piece = stack.pieces[index];
    if (piece === undefined || piece.startMs >= toMs) break;
    found.push({ ...piece, startMs: Math.max(piece.startMs, fromMs), endMs: Math.min(piece.endMs, toMs) });
  }
  return found;
}

/** Index of the first of sorted, disjoint `pieces` that ends after `atMs` (pieces.length if none). */
function firstEndingAfter(pieces: readonly { readonly endMs: number }[], atMs: number): number {
  let low = 0;
  let high = pieces.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((pieces[middle]?.endMs ?? Infinity) <= atMs) low = middle + 1;
    else high = middle;
  }
  return low;
}
