#!/usr/bin/env node
/**
 * preview-comment --stack dev=success=preview-dev.txt [--stack ...] --out comment.md
 *   [--title "Infrastructure preview"] [--commit <sha>] [--run-url <url>] [--summary-only prod ...]
 * Writes the aggregated markdown for the infra-preview comment or the drift issue. A stack named
 * by --summary-only is shown as its summary only (preview-summary.ts), never its full output.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { renderPreviewReport, type StackPreview } from './preview-comment.js';
import { previewSummary } from './preview-summary.js';

try {
  const { values } = parseArgs({
    options: {
      stack: { type: 'string', multiple: true },
      out: { type: 'string' },
      title: { type: 'string', default: 'Infrastructure preview' },
      commit: { type: 'string' },
      'run-url': { type: 'string' },
      'summary-only': { type: 'string', multiple: true },
    },
    strict: true,
  });
  if (!values.out) throw new Error('--out is required');
  if (!values.stack?.length) throw new Error('at least one --stack name=outcome=file is required');
  const named = values.stack.map((spec) => spec.split('=')[0]);
  const unknown = (values['summary-only'] ?? []).filter((stack) => !named.includes(stack));
  if (unknown.length) throw new Error(`--summary-only ${unknown.join(', ')}: no such --stack`);
  const stacks: StackPreview[] = await Promise.all(
    values.stack.map(async (spec) => {
      const match = /^([a-z0-9-]+)=([a-z]+)=(.+)$/.exec(spec);
      if (!match) throw new Error(`--stack "${spec}" is not name=outcome=file`);
      const [, stack, outcome, file] = match;
      // A preview that never ran (an earlier step failed) leaves no file: report that, not a crash.
      const output = await readFile(file!, 'utf8').catch(() => `(no output file ${file})`);
      const summaryOnly = values['summary-only']?.includes(stack!);
      return {
        stack: stack!,
        outcome: outcome!,
        output: summaryOnly ? previewSummary(output, { stack: stack! }) : output,
      };
    }),
  );
  await writeFile(
    values.out,
    renderPreviewReport({ title: values.title!, stacks, commit: values.commit, runUrl: values['run-url'] }),
  );
} catch (err) {
  process.stderr.write(`preview-comment: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(2);
}
