/**
 * The docker and aws stand-ins of fake-registry.mjs in a test directory: `seed` pushes a single
 * image manifest (what release.yml's `docker buildx build --provenance=false` pushes), `run` runs
 * a .github/scripts script with DOCKER and AWS pointing at the stand-ins, `state` reads the
 * repositories and the calls made.
 */
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Test } from 'tap';
import { SCRIPTS_DIR } from './workflows.js';

export interface RegistryState {
  repos: Record<
    string,
    { manifests: Record<string, string>; tags: Record<string, string>; pushedAt: Record<string, string> }
  >;
}

export const HOST = '123456789012.dkr.ecr.eu-west-1.amazonaws.com';
export const DEV = `${HOST}/zumo/web-dev`;
export const PROD = `${HOST}/zumo/web-prod`;

export function registry(t: Test, env: NodeJS.ProcessEnv = {}) {
  const dir = t.testdir({ bin: {} });
  const statePath = join(dir, 'state.json');
  writeFileSync(statePath, JSON.stringify({ repos: {} }));
  writeFileSync(`${statePath}.calls`, '');
  for (const tool of ['docker', 'aws']) {
    const path = join(dir, 'bin', tool);
    writeFileSync(
      path,
      `#!/bin/sh\nexec "${process.execPath}" "${join(import.meta.dirname, 'fake-registry.mjs')}" ${tool} "$@"\n`,
    );
    chmodSync(path, 0o755);
  }
  const state = () => JSON.parse(readFileSync(statePath, 'utf8')) as RegistryState;
  /** Pushes a single-platform image manifest (its layer named by `content`) to repository:tag; returns its digest. */
  const seed = (repository: string, tag: string, content = tag) => {
    const bytes = JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
      config: { digest: `sha256:${'c'.repeat(64)}`, size: 1 },
      layers: [{ digest: `sha256:${createHash('sha256').update(content).digest('hex')}`, size: 2 }],
    });
    const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
    const s = state();
    const name = repository.slice(repository.indexOf('/') + 1);
    s.repos[name] ??= { manifests: {}, tags: {}, pushedAt: {} };
    s.repos[name].manifests[digest] = bytes;
    s.repos[name].tags[tag] = digest;
    s.repos[name].pushedAt[tag] = new Date().toISOString();
    writeFileSync(statePath, JSON.stringify(s));
    return digest;
  };
  const tagged = (repository: string, tag: string) =>
    state().repos[repository.slice(repository.indexOf('/') + 1)]?.tags[tag];
  const run = (script: string, args: string[], extraEnv: NodeJS.ProcessEnv = {}) =>
    spawnSync('bash', [join(SCRIPTS_DIR, script), ...args], {
      cwd: dir,
      encoding: 'utf8',
      env: {
        ...Object.fromEntries(Object.entries(process.env).filter(([key]) => key !== 'NODE_OPTIONS')),
        DOCKER: join(dir, 'bin/docker'),
        AWS: join(dir, 'bin/aws'),
        FAKE_REGISTRY_STATE: statePath,
        ...env,
        ...extraEnv,
      },
    });
  const calls = () =>
    readFileSync(`${statePath}.calls`, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as string);
  return { dir, state, seed, tagged, run, calls };
}
