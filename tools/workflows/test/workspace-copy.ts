/**
 * A throw-away git repository holding this workspace as it is on disk (tracked and new files,
 * not node_modules, which is linked), so scripts that ask Nx run against the real project graph:
 * its projects, tags, implicit dependencies and plugins, not a stand-in (tools/nx-pulumi's
 * tests do the same with a smaller fixture).
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Test } from 'tap';
import { GIT_IDENTITY, REPO_ROOT } from './workflows.js';

export interface WorkspaceCopy {
  root: string;
  /** Environment for git and Nx in the copy (no daemon, no cloud, no cache shared with the real one). */
  env: NodeJS.ProcessEnv;
  git(...args: string[]): string;
  /** Writes `text` to `file` (relative to the root) and commits it; returns the commit SHA. */
  commit(file: string, text: string, message: string): string;
}

/**
 * `only`: the paths (files, or folders ending in /) to copy, for a script that reads nothing else
 * and runs no Nx; the copy then has no node_modules either.
 */
export function workspaceCopy(t: Test, only?: string[]): WorkspaceCopy {
  const root = t.testdir({});
  const listed = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
  });
  const wanted = (file: string) => !only || only.some((p) => (p.endsWith('/') ? file.startsWith(p) : file === p));
  for (const file of listed.split('\0').filter((file) => file && wanted(file))) {
    const from = join(REPO_ROOT, file);
    if (!existsSync(from)) continue; // deleted in the working tree, not yet committed
    mkdirSync(dirname(join(root, file)), { recursive: true });
    cpSync(from, join(root, file));
  }
  if (!only) symlinkSync(join(REPO_ROOT, 'node_modules'), join(root, 'node_modules'), 'dir');
  // Nothing of the Nx run (or npm script) this test runs under may leak into the copy's Nx.
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(NX_|npm_)/i.test(key)));
  const env: NodeJS.ProcessEnv = {
    ...inherited,
    NX_DAEMON: 'false',
    // Plugins in the Nx process, not one worker process each: a third of the CPU per call, same graph.
    NX_ISOLATE_PLUGINS: 'false',
    NX_NO_CLOUD: 'true',
    NX_SKIP_NX_CACHE: 'true',
    NX_WORKSPACE_DATA_DIRECTORY: join(root, '.nx/workspace-data'),
    NX_CACHE_DIRECTORY: join(root, '.nx/cache'),
    ...GIT_IDENTITY,
  };
  const git = (...args: string[]) => execFileSync('git', args, { cwd: root, env, encoding: 'utf8' }).trim();
  git('init', '--quiet', '--initial-branch=main');
  // The link is not a directory, so .gitignore's node_modules/ does not cover it.
  writeFileSync(join(root, '.git/info/exclude'), '/node_modules\n');
  git('add', '--all');
  git('commit', '--quiet', '-m', 'the workspace');
  const commit = (file: string, text: string, message: string) => {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    writeFileSync(join(root, file), text);
    git('add', '--all');
    git('commit', '--quiet', '-m', message);
    return git('rev-parse', 'HEAD');
  };
  return { root, env, git, commit };
}
