#!/usr/bin/env node
/**
 * preview-summary --stack prod --in preview-prod.txt --out preview-prod.summary.txt
 * Writes what of a `pulumi preview` may be shown publicly (preview-summary.ts), for the run log
 * and the drift artifact; the full output stays on the runner. --out may be --in (replaced).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { previewSummary } from './preview-summary.js';

try {
  const { values } = parseArgs({
    options: { stack: { type: 'string' }, in: { type: 'string' }, out: { type: 'string' } },
    strict: true,
  });
  for (const name of ['stack', 'in', 'out'] as const) if (!values[name]) throw new Error(`--${name} is required`);
  // A preview that never ran (an earlier step failed) leaves no file: summarize that, not a crash.
  const output = await readFile(values.in!, 'utf8').catch(() => `(no output file ${values.in})`);
  const summary = previewSummary(output, { stack: values.stack! });
  await writeFile(values.out!, summary);
  process.stdout.write(summary);
} catch (err) {
  process.stderr.write(`preview-summary: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(2);
}
