/**
 * One markdown report for several `pulumi preview` runs: the infra-preview pull request comment
 * (edited in place, so a monorepo gets one comment, not one per stack and push) and the drift issue.
 */
import { stripVTControlCharacters } from 'node:util';

export interface StackPreview {
  readonly stack: string;
  /** The step outcome GitHub reports: success, failure, cancelled or skipped. */
  readonly outcome: string;
  /** Everything the preview printed (ANSI colours are removed). */
  readonly output: string;
}

export interface PreviewReport {
  readonly title: string;
  readonly stacks: readonly StackPreview[];
  readonly commit?: string;
  readonly runUrl?: string;
}

/** GitHub refuses comment bodies over 65,536 characters; stay under with room for the frame. */
export const MAX_BODY = 60_000;

const OUTCOME: Record<string, string> = {
  success: '✅ no errors',
  failure: '❌ failed',
  cancelled: '⏹ cancelled',
  skipped: '⏭ skipped',
};

/** The hidden first line that lets the workflow find and edit its own comment. */
export function markerFor(title: string): string {
  return `<!-- zumo:${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')} -->`;
}

/** Pulumi's closing "Resources:" block, e.g. "+ 2 to create, ~ 1 to update, 40 unchanged". */
export function summarizeChanges(output: string): string {
  const clean = stripVTControlCharacters(output);
  const start = clean.search(/^Resources:\s*$/m);
  if (start < 0) return 'no resource summary';
  const lines = clean
    .slice(start)
    .split('\n')
    .slice(1)
    .map((line) => line.trim());
  const end = lines.findIndex((line) => line === '' || /^Duration:/.test(line));
  const items = (end < 0 ? lines : lines.slice(0, end)).filter(Boolean);
  return items.length ? items.join(', ') : 'no resource summary';
}

/** A code fence longer than any backtick run in the text, so output cannot close it early. */
function fence(text: string): string {
  const longest = Math.max(2, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const marks = '`'.repeat(longest + 1);
  return `${marks}diff\n${text}\n${marks}`;
}

const escapeCell = (text: string) => text.replace(/\|/g, '\\|').replace(/</g, '&lt;');

export function renderPreviewReport(report: PreviewReport): string {
  const head = [
    markerFor(report.title),
    `### ${report.title}`,
    '',
    [report.commit && `Commit \`${report.commit}\``, report.runUrl && `[workflow run](${report.runUrl})`]
      .filter(Boolean)
      .join(' · '),
    '',
    '| stack | result | changes |',
    '| --- | --- | --- |',
    ...report.stacks.map(
      (s) =>
        `| ${escapeCell(s.stack)} | ${OUTCOME[s.outcome] ?? escapeCell(s.outcome)} | ${escapeCell(summarizeChanges(s.output))} |`,
    ),
    '',
  ].join('\n');

  // Each stack's output gets an equal share of what is left; the end of the output (the diff
  // summary and any error) matters most, so long output keeps its tail.
  const budget = Math.floor((MAX_BODY - head.length) / Math.max(1, report.stacks.length)) - 200;
  const sections = report.stacks.map((s) => {
    let text = stripVTControlCharacters(s.output).trimEnd();
    if (text.length > budget)
      text = `… (${text.length - budget} characters cut; full log in the run)\n${text.slice(-budget)}`;
    return `<details><summary>${escapeCell(s.stack)}: ${OUTCOME[s.outcome] ?? escapeCell(s.outcome)}</summary>\n\n${fence(text || '(no output)')}\n\n</details>`;
  });
  return `${head}\n${sections.join('\n\n')}\n`;
}
