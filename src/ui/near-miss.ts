/** Did-you-mean for words the user typed: awsl's commands (`logn`), profile names (`prdo`). */

/** The candidates `word` is a typo of: a prefix of one (3 letters or more), or one or two edits away. */
export function nearMisses(word: string, candidates: Iterable<string>): string[] {
  return [...new Set(candidates)].filter((candidate) => candidate !== word && isNearMiss(word, candidate)).sort();
}

function isNearMiss(word: string, candidate: string): boolean {
  if (word.length >= 3 && candidate.startsWith(word)) return true;
  return editDistance(word, candidate) <= (candidate.length > 4 ? 2 : 1);
}

/** Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours. */
function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i += 1) {
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = best;
    }
  }
  return rows[a.length]![b.length]!;
}
