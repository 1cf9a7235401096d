/**
 * infra-affected.sh run in a workspace copy, with the commits its tests make: a release written
 * into a stack's overlay by the real set-image.sh, and an edit that parses as before.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Test } from 'tap';
import { SCRIPTS_DIR } from './workflows.js';
import type { WorkspaceCopy } from './workspace-copy.js';

export const REGISTRY = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/zumo/web';
export const digest = (n: number) => `sha256:${String(n).repeat(64).slice(0, 64)}`;

export function infraAffected(t: Test, ws: WorkspaceCopy) {
  const run = (script: string, ...args: string[]) =>
    spawnSync('bash', [join(SCRIPTS_DIR, script), ...args], { cwd: ws.root, env: ws.env, encoding: 'utf8' });
  /** dev= and prod= of infra-affected.sh for a commit, as an object. */
  const affected = (sha: string) => {
    const result = run('infra-affected.sh', sha);
    t.equal(result.status, 0, `infra-affected.sh exits 0 ${result.status ? result.stderr : ''}`);
    return Object.fromEntries(
      result.stdout
        .trim()
        .split('\n')
        .map((line) => line.split('=')),
    );
  };
  /** A release written into a stack's overlay by the real script, committed as CI does. */
  const release = (stack: string, tag: string, n: number, registry = `${REGISTRY}-${stack}`) => {
    const set = run('set-image.sh', `deploy/web/overlays/${stack}`, registry, tag, digest(n));
    t.equal(set.status, 0, set.stderr);
    ws.git('commit', '--quiet', '-am', `release(${stack}): web ${tag}`);
    return ws.git('rev-parse', 'HEAD');
  };
  /** Appends a comment line to a file (one that parses as before) and commits it. */
  const edit = (file: string) => {
    const comment = file.endsWith('.ts') ? '// edited' : '# edited';
    return ws.commit(file, `${readFileSync(join(ws.root, file), 'utf8')}\n${comment}\n`, `edit ${file}`);
  };
  return { run, affected, release, edit };
}
