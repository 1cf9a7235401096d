import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Test } from 'tap';

/** kubectl 1.32's `version --client` output (what the check parses). */
export const MODERN_KUBECTL = 'Client Version: v1.32.4\nKustomize Version: v5.5.0';

/**
 * A directory to use as the whole PATH, holding shell scripts that stand in for the system tools.
 * Each script appends its name and arguments to `calls.log`, so a test sees what was run. The
 * directory is world-writable so a script run by an unprivileged user could still record a call
 * (a test that asserts "not called" must not pass only because the write failed).
 */
export function fakeBin(t: Test) {
  const dir = t.testdir({});
  chmodSync(dir, 0o777);
  const log = join(dir, 'calls.log');
  const add = (name: string, body = '') => {
    const path = join(dir, name);
    writeFileSync(path, `#!/bin/sh\necho "${name} $* DEBIAN_FRONTEND=$DEBIAN_FRONTEND" >> "${log}"\n${body}\n`, {
      mode: 0o755,
    });
    return path;
  };
  return {
    dir,
    env: { PATH: dir },
    add,
    /** Every tool the tests need, all present and usable. */
    addAllTestTools() {
      for (const name of ['chromium', 'prometheus', 'promtool', 'amtool', 'pg_ctl', 'jq']) add(name);
      add('kubectl', `printf '%s\\n' '${MODERN_KUBECTL.replace(/\n/g, "' '")}'`);
    },
    calls: () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : []),
  };
}
