#!/usr/bin/env node
/**
 * test-report --out reports/test [--root .] [--commit <sha>] [--allow-empty]
 * After `nx run-many -t test` (or `nx affected`): writes <out>/junit/<project>.xml, <out>/junit.xml
 * (merged) and <out>/index.html from every project's saved tap results. Exit 1 when a test failed
 * (the report is still written), 2 on bad input or when there are no results at all, unless
 * --allow-empty (CI after `nx affected` touched no tested project) writes an empty report.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { findProjectsWithResults, junitForProject, mergeJunit, readCases, renderHtml } from './test-report.js';

try {
  const { values } = parseArgs({
    options: {
      out: { type: 'string' },
      root: { type: 'string', default: '.' },
      commit: { type: 'string' },
      'allow-empty': { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (!values.out) throw new Error('--out is required');
  const root = resolve(values.root!);
  const tapBin = join(createRequire(join(root, 'package.json')).resolve('tap/package.json'), '../dist/esm/run.mjs');
  const projects = await findProjectsWithResults(root);
  if (!projects.length && !values['allow-empty'])
    throw new Error(`no tap results under ${root} (run the tests first, or pass --allow-empty)`);
  await mkdir(join(values.out, 'junit'), { recursive: true });
  const reports: string[] = [];
  for (const project of projects) {
    const xml = await junitForProject(project, tapBin);
    await writeFile(join(values.out, 'junit', `${project.name}.xml`), xml);
    reports.push(xml);
  }
  const merged = await mergeJunit(reports);
  await writeFile(join(values.out, 'junit.xml'), merged);
  const cases = readCases(merged);
  const commit = values.commit ?? process.env['GITHUB_SHA'];
  await writeFile(
    join(values.out, 'index.html'),
    renderHtml(cases, { title: 'Zumo test report', commit, generatedAt: new Date() }),
  );
  const failed = cases.filter((c) => c.status === 'failed').length;
  process.stdout.write(
    `test-report: ${projects.length} projects, ${cases.length} cases, ${failed} failed -> ${values.out}/index.html\n`,
  );
  process.exit(failed ? 1 : 0);
} catch (err) {
  process.stderr.write(`test-report: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(2);
}
