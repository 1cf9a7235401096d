/**
 * Test reports from tap's saved results (each project's .tap/test-results): one JUnit XML per
 * project (tap's own junit reporter, run by `tap replay`), merged into junit.xml for tools that
 * read JUnit, and index.html, a single self-contained page for people (what the seed's pytest
 * HTML report was). No script in the page: it is served from S3 as a plain file.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { XMLParser } from 'fast-xml-parser';
import { mergeToString } from 'junit-report-merger';

const run = promisify(execFile);

export interface ProjectResults {
  /** The Nx project name (package.json nx.name) or the package name. */
  readonly name: string;
  readonly dir: string;
}

/** Workspace folders (root package.json `workspaces`, `dir` or `dir/*`) that hold tap results. */
export async function findProjectsWithResults(root: string): Promise<ProjectResults[]> {
  const manifest = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { workspaces?: string[] };
  const dirs: string[] = [];
  for (const pattern of manifest.workspaces ?? []) {
    if (pattern.endsWith('/*')) {
      const parent = join(root, pattern.slice(0, -2));
      if (!existsSync(parent)) continue;
      for (const entry of await readdir(parent, { withFileTypes: true }))
        if (entry.isDirectory()) dirs.push(join(parent, entry.name));
    } else dirs.push(join(root, pattern));
  }
  const found: ProjectResults[] = [];
  for (const dir of dirs.sort()) {
    if (!existsSync(join(dir, '.tap/test-results')) || !existsSync(join(dir, 'package.json'))) continue;
    const pkg = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as {
      name: string;
      nx?: { name?: string };
    };
    found.push({ name: pkg.nx?.name ?? pkg.name, dir });
  }
  return found;
}

/** tap's junit reporter over a project's saved results; suites are prefixed with the project. */
export async function junitForProject(project: ProjectResults, tapBin: string): Promise<string> {
  const out = join(project.dir, '.tap/junit.xml');
  // NODE_OPTIONS and TAP_* from an outer tap run would turn the replay into a child test.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => key !== 'NODE_OPTIONS' && !key.startsWith('TAP')),
  );
  await rm(out, { force: true });
  // `tap replay` exits 1 when the replayed run had failures: that is a report, not an error.
  const replay = await run(process.execPath, [tapBin, 'replay', '--reporter=junit', `--reporter-file=${out}`], {
    cwd: project.dir,
    env,
  }).catch((err: Error & { stderr?: string }) => err);
  const xml = await readFile(out, 'utf8').catch(() => {
    throw new Error(`tap replay wrote no report for ${project.name}: ${(replay as { stderr?: string }).stderr ?? ''}`);
  });
  return xml.replace(/<testsuite name="/g, `<testsuite name="${escapeXml(project.name)}: `);
}

export const mergeJunit = (reports: string[]) => mergeToString(reports, { sumTime: true });

export interface TestCase {
  readonly suite: string;
  readonly name: string;
  readonly status: 'passed' | 'failed' | 'skipped';
  readonly details?: string;
  readonly time?: number;
}

type XmlNode = Record<string, unknown>;
const asArray = (value: unknown): XmlNode[] =>
  value === undefined ? [] : Array.isArray(value) ? (value as XmlNode[]) : [value as XmlNode];
const text = (value: unknown): string =>
  typeof value === 'string'
    ? value
    : value && typeof value === 'object'
      ? String((value as XmlNode)['#text'] ?? '')
      : '';

/** Every test case of a JUnit document, however deeply tap nested its suites. */
export function readCases(junitXml: string): TestCase[] {
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', cdataPropName: false as never });
  const doc = parser.parse(junitXml) as XmlNode;
  const cases: TestCase[] = [];
  const walk = (suite: XmlNode) => {
    for (const c of asArray(suite['testcase'])) {
      const failure = asArray(c['failure'])[0] ?? asArray(c['error'])[0];
      // JUnit's <skipped/>, or tap's way: a `skip` (or `todo`) property on the case.
      const properties = asArray(asArray(c['properties'])[0]?.['property']);
      const skipped =
        c['skipped'] !== undefined || properties.some((p) => p['name'] === 'skip' || p['name'] === 'todo');
      cases.push({
        suite: String(c['classname'] ?? suite['name'] ?? ''),
        name: String(c['name'] ?? ''),
        status: failure !== undefined ? 'failed' : skipped ? 'skipped' : 'passed',
        details: failure !== undefined ? (text(failure) || String(failure['message'] ?? '')).trim() : undefined,
        time: c['time'] === undefined ? undefined : Number(c['time']),
      });
    }
    for (const inner of asArray(suite['testsuite'])) walk(inner);
  };
  for (const root of asArray(doc['testsuites'])) walk(root);
  for (const suite of asArray(doc['testsuite'])) walk(suite);
  return cases;
}

export function escapeXml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export interface ReportMeta {
  readonly title: string;
  readonly commit?: string;
  readonly generatedAt: Date;
}

/** One HTML page: totals, failures first (with tap's diagnostics), then every file's cases. */
export function renderHtml(cases: readonly TestCase[], meta: ReportMeta): string {
  const count = (status: TestCase['status']) => cases.filter((c) => c.status === status).length;
  const failed = cases.filter((c) => c.status === 'failed');
  const bySuite = new Map<string, TestCase[]>();
  for (const c of cases) bySuite.set(c.suite, [...(bySuite.get(c.suite) ?? []), c]);
  const row = (c: TestCase) =>
    `<tr class="${c.status}"><td>${c.status}</td><td>${escapeXml(c.name)}</td><td>${c.time === undefined ? '' : `${(c.time * 1000).toFixed(0)} ms`}</td></tr>`;
  const suites = [...bySuite.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([suite, list]) => {
      const bad = list.filter((c) => c.status === 'failed').length;
      return `<details${bad ? ' open' : ''}><summary>${escapeXml(suite)} <span>${list.length} cases${bad ? `, ${bad} failed` : ''}</span></summary><table>${list.map(row).join('')}</table></details>`;
    });
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeXml(meta.title)}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:1.5rem;color:#1a1a1a}
.totals span{display:inline-block;margin-right:1.5rem;font-weight:600}
.passed td:first-child{color:#116329}.failed td:first-child{color:#b42318}.skipped td:first-child{color:#7a5d00}
table{border-collapse:collapse;width:100%}td{border-top:1px solid #ddd;padding:2px 6px;vertical-align:top}
summary span{color:#555;font-weight:400}pre{background:#f6f6f6;padding:.5rem;overflow:auto}
</style>
</head>
<body>
<h1>${escapeXml(meta.title)}</h1>
<p>${meta.commit ? `Commit <code>${escapeXml(meta.commit)}</code> · ` : ''}generated ${meta.generatedAt.toISOString()}</p>
<p class="totals"><span id="passed">${count('passed')} passed</span><span id="failed">${count('failed')} failed</span><span id="skipped">${count('skipped')} skipped</span></p>
${failed.length ? `<h2>Failures</h2>\n${failed.map((c) => `<h3>${escapeXml(c.suite)} › ${escapeXml(c.name)}</h3><pre>${escapeXml(c.details ?? '')}</pre>`).join('\n')}` : ''}
<h2>All tests</h2>
${suites.join('\n')}
</body>
</html>
`;
}
