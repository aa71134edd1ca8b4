/**
 * Help text written as a heredoc, so that no description is one long line in the source: the
 * lines of a paragraph are joined with spaces, blank lines separate paragraphs, indentation is
 * dropped. oclif wraps each paragraph to the terminal's width.
 *
 * A call on a template literal, not a tag: esbuild writes a tagged template's "…" or "—" into the
 * bundle as it is (the tag could read the raw text), and one such character makes V8 hold the
 * whole 1.6 MB bundle two bytes per character (scripts/build.mjs refuses that).
 */
export function prose(text: string): string {
  return text.split(/\n\s*\n/)
    .map((paragraph) => paragraph.split('\n').map((line) => line.trim()).filter(Boolean).join(' '))
    .filter(Boolean)
    .join('\n\n');
}
