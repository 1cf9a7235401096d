/**
 * Renders what an Application Pulumi declares would make Argo CD apply: its path of this
 * repository, with its `spec.source.kustomize.patches` appended to the kustomization's `patches`
 * first, exactly as Argo CD 3.4 does (util/kustomize/kustomize.go: "kustomization.yaml updated
 * with patches"), then `kubectl kustomize`.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { REPO_ROOT } from '../mocks.js';

export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: any;
  [key: string]: unknown;
}

export interface ApplicationSpec {
  source: { repoURL: string; path?: string; chart?: string; kustomize?: { patches?: unknown[] } };
}

/**
 * The objects the Application syncs, or undefined when its source is not a path of this
 * repository. `withPatches: false` renders the path as committed, without the Application's patches.
 */
export function renderApplication(spec: ApplicationSpec, withPatches = true): Manifest[] | undefined {
  const { path, kustomize } = spec.source;
  if (!path || !existsSync(join(REPO_ROOT, path, 'kustomization.yaml'))) return undefined;
  const dir = mkdtempSync(join(tmpdir(), 'zumo-render-'));
  try {
    cpSync(join(REPO_ROOT, 'deploy'), join(dir, 'deploy'), { recursive: true });
    const file = join(dir, path, 'kustomization.yaml');
    const kustomization = parse(readFileSync(file, 'utf8'));
    if (withPatches && kustomize?.patches?.length)
      kustomization.patches = [...(kustomization.patches ?? []), ...kustomize.patches];
    writeFileSync(file, stringify(kustomization));
    const yaml = execFileSync('kubectl', ['kustomize', join(dir, path)], { encoding: 'utf8', timeout: 60_000 });
    return parseAllDocuments(yaml)
      .map((d) => d.toJSON() as Manifest | null)
      .filter((m): m is Manifest => m !== null);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Argo CD's sync options of one object (the annotation is a comma-separated list). */
export function syncOptions(manifest: Manifest): string[] {
  const value = manifest.metadata.annotations?.['argocd.argoproj.io/sync-options'] ?? '';
  return value
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
}
