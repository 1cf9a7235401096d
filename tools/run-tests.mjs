#!/usr/bin/env node
/**
 * `npm test`: first the system tools the tests run (Chromium, Prometheus, promtool, amtool, PostgreSQL, jq,
 * kubectl): installed with apt-get when missing and possible, else one message naming every
 * missing tool and how to install it, and exit 1 before anything runs. Then every project's lint,
 * typecheck and test targets through Nx (cached), echoing the output as it comes, and the totals
 * as one plain line, `N passed, N failed` (`, N skipped` when any were). How many targets and
 * test files run at once follows the cores (test-command/parallelism.mjs).
 *
 * The run fails when any target fails, any test fails, a test is skipped without a printed
 * reason, or no test ran at all.
 *
 * Usage: node tools/run-tests.mjs [extra nx run-many args]
 */
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { parallelism } from './test-command/parallelism.mjs';
import { ensureTools, TEST_TOOLS } from './test-command/system-tools.mjs';
import { totalsLine, verdict } from './test-command/totals.mjs';

const tools = ensureTools(TEST_TOOLS);
if (!tools.ok) {
  console.error(tools.message);
  process.exit(1);
}

const run = parallelism(availableParallelism(), process.argv.slice(2), process.env);
const args = ['nx', 'run-many', '-t', 'lint', 'typecheck', 'test', '--outputStyle=static', ...run.nxArgs];
const child = spawn('npx', args, { stdio: ['ignore', 'pipe', 'pipe'], env: run.env });

let output = '';
child.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  output += chunk;
});
child.stderr.on('data', (chunk) => {
  process.stderr.write(chunk);
  output += chunk;
});

const exitCode = await new Promise((resolve) => child.on('close', (code) => resolve(code ?? 1)));
const result = verdict(output, exitCode);
for (const problem of result.problems) console.log(problem);
console.log(totalsLine(result));
process.exit(result.failed > 0 ? 1 : 0);
