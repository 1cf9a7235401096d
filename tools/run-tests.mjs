#!/usr/bin/env node
/**
 * `npm test`: first the system tools the tests run (Chromium, Prometheus, promtool, amtool, PostgreSQL, jq,
 * kubectl): installed with apt-get when missing and possible, else one message naming every
 * missing tool and how to install it, and exit 1 before anything runs. Then, through Nx (cached),
 * every project's build (what the other targets read), and after it two lanes side by side: lint,
 * typecheck and the format check, and the tests (test-command/parallelism.mjs sizes both to the
 * cores). The output
 * is echoed as it comes, a whole line at a time, and the run ends with the totals as one plain
 * line, `N passed, N failed` (`, N skipped` when any were).
 *
 * The run fails when any target fails, any test fails, a test is skipped without a printed
 * reason, or no test ran at all.
 *
 * Usage: node tools/run-tests.mjs [extra nx run-many args, given to every step]
 */
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { parallelism } from './test-command/parallelism.mjs';
import { ensureTools, TEST_TOOLS } from './test-command/system-tools.mjs';
import { ensureTapBuilt } from './test-command/tap-build.mjs';
import { totalsLine, verdict } from './test-command/totals.mjs';

const tools = ensureTools(TEST_TOOLS);
if (!tools.ok) {
  console.error(tools.message);
  process.exit(1);
}

const extra = process.argv.slice(2);
const run = parallelism(availableParallelism(), extra, process.env);

/**
 * Runs `nx run-many -t <targets> <args>` and echoes its output a whole line at a time, so that
 * two lanes printing at once never split each other's lines (the totals are read from them).
 * @returns {Promise<{ output: string, code: number }>}
 */
function nx(targets, args) {
  const child = spawn('npx', ['nx', 'run-many', '-t', ...targets, '--outputStyle=static', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: run.env,
  });
  let output = '';
  const echo = (stream, out) => {
    let partial = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk) => {
      const lines = partial + chunk;
      const end = lines.lastIndexOf('\n') + 1;
      partial = lines.slice(end);
      out.write(lines.slice(0, end));
      output += lines.slice(0, end);
    });
    stream.on('end', () => {
      if (partial) out.write(`${partial}\n`);
      output += partial && `${partial}\n`;
    });
  };
  echo(child.stdout, process.stdout);
  echo(child.stderr, process.stderr);
  return new Promise((resolve) => child.on('close', (code) => resolve({ output, code: code ?? 1 })));
}

// The Test class tap needs, built once before any test target runs (what `test-command:tap-setup` does).
ensureTapBuilt();
// The builds first: typecheck and the tests read what they write, so the lanes below skip the
// dependencies Nx would otherwise run in each (twice at once, with --skip-nx-cache). The two Nx
// processes share the workspace database, which Nx 23 opens in WAL mode, behind a lock file and
// with a busy handler (packages/nx/src/native/db/initialize.rs), so they wait for each other.
const steps = [await nx(['build'], extra)];
if (steps[0].code === 0) {
  const after = ['--excludeTaskDependencies'];
  steps.push(
    ...(await Promise.all([
      nx(['lint', 'typecheck', 'format-check'], [...run.checks, ...after]),
      nx(['test'], [...run.tests, ...after]),
    ])),
  );
}

const result = verdict(steps.map((s) => s.output).join(''), steps.find((s) => s.code !== 0)?.code ?? 0);
for (const problem of result.problems) console.log(problem);
console.log(totalsLine(result));
process.exit(result.failed > 0 ? 1 : 0);
