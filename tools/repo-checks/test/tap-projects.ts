/** The workspace projects that run tap, read from the root's workspaces and their package.json. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../../..');

export interface TapProject {
  /** The project's folder, relative to the repository root. */
  readonly dir: string;
  /** Its package.json "tap" section. */
  readonly tap: Record<string, unknown>;
}

const workspaces: string[] = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).workspaces;

/** Every workspace (a folder, or each folder of `folder/*`) whose package.json has a "tap" section. */
export const TAP_PROJECTS: TapProject[] = workspaces
  .flatMap((pattern) =>
    pattern.endsWith('/*')
      ? readdirSync(join(ROOT, pattern.slice(0, -2))).map((name) => join(pattern.slice(0, -2), name))
      : [pattern],
  )
  .filter((dir) => existsSync(join(ROOT, dir, 'package.json')))
  .flatMap((dir) => {
    const manifest = JSON.parse(readFileSync(join(ROOT, dir, 'package.json'), 'utf8'));
    return manifest.tap ? [{ dir, tap: manifest.tap }] : [];
  });
