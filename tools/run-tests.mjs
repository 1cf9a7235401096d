#!/usr/bin/env node
/**
 * `npm test`: runs every project's lint, typecheck and test targets through Nx (cached), echoes the
 * output as it comes, then prints the totals as one plain line, `N passed, N failed, N skipped`.
 *
 * Totals come from the `# { total, pass, fail, ... }` summary each tap run prints (Nx replays it
 * for cached runs too). The run fails when any target fails, any test fails, or a test is skipped
 * without a printed reason.
 *
 * Usage: node tools/run-tests.mjs [extra nx run-many args]
 */
import { spawn } from 'node:child_process';

const args = ['nx', 'run-many', '-t', 'lint', 'typecheck', 'test', '--outputStyle=static', ...process.argv.slice(2)];
const child = spawn('npx', args, { stdio: ['ignore', 'pipe', 'pipe'], env: process.env });

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

const totals = { pass: 0, fail: 0, skip: 0, todo: 0 };
for (const match of output.matchAll(/^# \{ total: \d+[^}]*\}$/gm)) {
  for (const [, key, value] of match[0].matchAll(/(\w+): (\d+)/g)) {
    if (key in totals) totals[key] += Number(value);
  }
}
// A skip must say why: `# SKIP` (or `# TODO`) with nothing after it is a failure here.
const silentSkips = [...output.matchAll(/^\s*(?:not )?ok \d+.*# (?:SKIP|TODO)\s*$/gim)].map((m) => m[0].trim());
for (const line of silentSkips) console.log(`skipped without a reason: ${line}`);

let failed = totals.fail + silentSkips.length;
if (exitCode !== 0 && failed === 0) {
  console.log(`nx exited with code ${exitCode} (a lint, typecheck or build target failed)`);
  failed = 1;
}
console.log(`${totals.pass} passed, ${failed} failed, ${totals.skip + totals.todo} skipped`);
process.exit(exitCode !== 0 || failed > 0 ? 1 : 0);
