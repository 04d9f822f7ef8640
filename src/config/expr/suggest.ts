// "Did you mean" suggestions for misspelt names (attributes, map keys, functions, block types).

/**
 * Edit distance between two strings, by code point: insertions, deletions, substitutions and swaps of two
 * adjacent characters (the commonest typo) each count 1. Levenshtein's distance plus transpositions
 * (the "optimal string alignment" variant).
 */
export function editDistance(a: string, b: string): number {
  const s = [...a];
  const t = [...b];
  let before: number[] = [];
  let prev = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const row = [i];
    for (let j = 1; j <= t.length; j++) {
      let d = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (s[i - 1] === t[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) d = Math.min(d, before[j - 2]! + 1);
      row[j] = d;
    }
    before = prev;
    prev = row;
  }
  return prev[t.length]!;
}

/**
 * The candidate closest to `name`, if it is close enough to be a likely typo: a case-only difference, or an
 * edit distance of at most 1 for names of 2 to 4 characters, 2 up to 8, 3 beyond (none for one character). Ties go to the earlier candidate.
 */
export function suggest(name: string, candidates: Iterable<string>): string | undefined {
  const lower = name.toLowerCase();
  const length = [...name].length;
  const limit = length <= 1 ? 0 : length <= 4 ? 1 : length <= 8 ? 2 : 3;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    if (c === name) continue;
    if (c.toLowerCase() === lower) return c;
    // Cheap bound first: the distance is at least the difference in length.
    if (Math.abs([...c].length - length) > limit) continue;
    const d = editDistance(lower, c.toLowerCase());
    if (d <= limit && d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

/** `; did you mean "y"?` or nothing, to append to a message. */
export function didYouMean(name: string, candidates: Iterable<string>): string {
  const s = suggest(name, candidates);
  return s === undefined ? "" : `; did you mean "${s}"?`;
}
