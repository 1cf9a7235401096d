/**
 * A directory with the GitHub CLI stand-in (fake-gh.mjs) first on PATH and its state file; `run`
 * runs a .github/scripts script there, `state` reads what the stand-in holds afterwards.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Test } from 'tap';
import { SCRIPTS_DIR } from './workflows.js';

export interface State {
  nextId: number;
  calls: string[];
  comments: { id: number; issue: number; body: string; author: string }[];
  issues: { number: number; state: string; labels: string[]; body: string; comments: string[] }[];
  pulls: { number: number; base: string; head: string; title: string; body: string; state: string; author: string }[];
  rulesets?: { id: number; name: string; body: Record<string, unknown> }[];
}

export function github(t: Test, initial: Partial<State> = {}) {
  const dir = t.testdir({ bin: {} });
  const gh = join(dir, 'bin/gh');
  copyFileSync(join(import.meta.dirname, 'fake-gh.mjs'), join(dir, 'bin/fake-gh.mjs'));
  writeFileSync(gh, `#!/bin/sh\nexec "${process.execPath}" "$(dirname "$0")/fake-gh.mjs" "$@"\n`);
  chmodSync(gh, 0o755);
  const statePath = join(dir, 'state.json');
  writeFileSync(statePath, JSON.stringify({ nextId: 100, calls: [], comments: [], issues: [], pulls: [], ...initial }));
  const runWith = (cwd: string, extraEnv: Record<string, string>, script: string, ...args: string[]) =>
    spawnSync('bash', [join(SCRIPTS_DIR, script), ...args], {
      cwd,
      encoding: 'utf8',
      env: {
        // Without the outer tap run's loaders: the stand-in is a plain node script.
        ...Object.fromEntries(Object.entries(process.env).filter(([key]) => key !== 'NODE_OPTIONS')),
        PATH: `${join(dir, 'bin')}:${process.env['PATH']}`,
        FAKE_GH_STATE: statePath,
        GITHUB_REPOSITORY: 'acme/zumo',
        GIT_AUTHOR_NAME: 'zumo-release[bot]',
        GIT_AUTHOR_EMAIL: 'zumo-release[bot]@users.noreply.github.com',
        GIT_COMMITTER_NAME: 'zumo-release[bot]',
        GIT_COMMITTER_EMAIL: 'zumo-release[bot]@users.noreply.github.com',
        GIT_CONFIG_GLOBAL: '/dev/null',
        ...extraEnv,
      },
    });
  const runIn = (cwd: string, script: string, ...args: string[]) => runWith(cwd, {}, script, ...args);
  const run = (script: string, ...args: string[]) => runIn(dir, script, ...args);
  const state = () => JSON.parse(readFileSync(statePath, 'utf8')) as State;
  const file = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return name;
  };
  return { dir, run, runIn, runWith, state, file };
}
