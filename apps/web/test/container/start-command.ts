import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { MEMORY_BUDGET } from '@zumo/config';
import { START_SCRIPT, WEB_ROOT } from '../helper.js';

// bin/start.sh is the one place the start command is written; the image's CMD runs it
// (container/dockerfile.ts) and so does `npm start`. Both are run here with a stand-in `node` first
// on PATH that prints its working directory and arguments instead of starting the service.

const expected = [
  WEB_ROOT,
  `--max-semi-space-size=${MEMORY_BUDGET.maxSemiSpaceMiB}`,
  `--max-old-space-size=${MEMORY_BUDGET.maxOldSpaceMiB}`,
  '--import',
  './dist/instrument.js',
  './dist/server.js',
];

function standInNode(t: Test) {
  const dir = t.testdir({});
  writeFileSync(join(dir, 'node'), '#!/bin/sh\nprintf "%s\\n" "$PWD" "$@"\n');
  chmodSync(join(dir, 'node'), 0o755);
  return { PATH: `${dir}:${process.env['PATH'] ?? ''}` };
}

const linesOf = (output: Buffer | string) => output.toString().trimEnd().split('\n');

t.test('the start script runs node with the memory budget flags on the built entry points', async (t) => {
  const env = standInNode(t);
  const output = execFileSync(join(WEB_ROOT, START_SCRIPT), [], { cwd: tmpdir(), env, timeout: 30_000 });
  t.same(linesOf(output), expected, 'from any directory, in apps/web');
  for (const entry of ['dist/instrument.js', 'dist/server.js']) {
    t.ok(existsSync(join(WEB_ROOT, entry)), `${entry} is what the build writes`);
  }
});

t.test('npm start runs the start script', async (t) => {
  const env = standInNode(t);
  // npm itself through this Node (its `#!/usr/bin/env node` would find the stand-in).
  const npmCli = realpathSync(execFileSync('sh', ['-c', 'command -v npm']).toString().trim());
  const output = execFileSync(process.execPath, [npmCli, 'start', '--silent'], { cwd: WEB_ROOT, env, timeout: 60_000 });
  t.same(linesOf(output), expected);
});
