/**
 * A part of a Markdown document generated from code, between two marker comments, so the
 * document says what the code does without a person copying it (and a test can compare them).
 */
export interface DocSection {
  /** The opening marker; it names the source and the command that rewrites the part. */
  readonly start: string;
  readonly end: string;
}

/** The markers of a part `nx run infra:doc-tables` writes from `source` (a path in infra/src). */
export function generatedSection(name: string, source: string): DocSection {
  return {
    start: `<!-- ${name}:start (generated from infra/src/${source} by \`nx run infra:doc-tables\`; do not edit) -->`,
    end: `<!-- ${name}:end -->`,
  };
}

/** `document` with the text between the markers of `section` replaced by `body`. */
export function withSection(document: string, section: DocSection, body: string): string {
  const start = document.indexOf(section.start);
  const end = document.indexOf(section.end);
  if (start < 0 || end < start) throw new Error(`no "${section.start}" ... "${section.end}" section`);
  // Prettier would realign table columns: the generated text stays as generated.
  const kept = `<!-- prettier-ignore-start -->\n${body}\n<!-- prettier-ignore-end -->`;
  return `${document.slice(0, start + section.start.length)}\n${kept}\n${document.slice(end)}`;
}

/** A Markdown table; a `|` inside a cell is escaped. */
export function markdownTable(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}
