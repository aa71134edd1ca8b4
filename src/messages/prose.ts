/**
 * Help text written as a heredoc, so that no description is one long line in the source: the
 * lines of a paragraph are joined with spaces, blank lines separate paragraphs, indentation is
 * dropped. oclif wraps each paragraph to the terminal's width.
 */
export function prose(strings: TemplateStringsArray, ...values: unknown[]): string {
  const text = strings.reduce((joined, part, index) => joined + part + (index < values.length ? String(values[index]) : ''), '');
  return text.split(/\n\s*\n/)
    .map((paragraph) => paragraph.split('\n').map((line) => line.trim()).filter(Boolean).join(' '))
    .filter(Boolean)
    .join('\n\n');
}
