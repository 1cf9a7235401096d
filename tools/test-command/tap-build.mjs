#!/usr/bin/env node
/**
 * Tap compiles its Test class for one plugin list, into node_modules/@tapjs/test. Every project
 * shares one list (taprc beside this file: tsx in place of ts-node, tap-plugin.mjs), which differs
 * from tap's default, so it must be built once after each install. Tap would rebuild it by itself
 * on the first run, but through `tap plugin add`, which asks the npm registry for every plugin not
 * in its defaults (ours is not published), and two projects rebuilding at once (Nx running
 * several test targets) delete each other's output. So every test target depends on the Nx target
 * `test-command:tap-setup`, which runs this: it builds with tap's own generator, offline, only
 * when the built list differs.
 *
 * Usage: node tools/test-command/tap-build.mjs
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

/** The plugins the shared taprc asks for, and those tap's Test class is built with now. */
function plugins() {
  const read = [
    "import { TapConfig } from '@tapjs/config';",
    "import { signature } from '@tapjs/test';",
    'const config = await TapConfig.load();',
    'console.log(JSON.stringify({ wanted: config.pluginList, built: signature.split("\\n") }));',
  ].join('\n');
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', read], { cwd: here, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`could not read tap's configuration: ${result.stderr}`);
  return /** @type {{ wanted: string[], built: string[] }} */ (JSON.parse(result.stdout));
}

export function ensureTapBuilt() {
  const { wanted, built } = plugins();
  if ([...wanted].sort().join('\n') === [...built].sort().join('\n')) return false;
  console.log(`Building tap's Test class for the workspace plugins: ${wanted.join(' ')}`);
  const generator = join(dirname(require.resolve('@tapjs/test/package.json')), 'dist/esm/build.mjs');
  const result = spawnSync(process.execPath, [generator, ...wanted], { cwd: here, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`building tap's Test class failed (exit ${result.status})`);
  return true;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) ensureTapBuilt();
