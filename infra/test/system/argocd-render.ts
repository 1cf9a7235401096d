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
import { REPO_ROOT, secretValue } from '../mocks.js';
import { renderDeep } from './go-template.js';
import type { ResourceGraph } from './graph.js';

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
  // deploy/ does not change during a test run: one kubectl per distinct source.
  const key = JSON.stringify([spec.source, withPatches]);
  if (!rendered.has(key)) rendered.set(key, renderUncached(spec, withPatches));
  return structuredClone(rendered.get(key));
}

const rendered = new Map<string, Manifest[] | undefined>();

function renderUncached(spec: ApplicationSpec, withPatches: boolean): Manifest[] | undefined {
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

/** An Argo CD cluster Secret as the program declares it (stringData as written). */
export interface ClusterSecret {
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  stringData: { name: string; server: string; project?: string };
}

const CLUSTER_SECRET_LABEL = ['argocd.argoproj.io/secret-type', 'cluster'] as const;
const IN_CLUSTER = { name: 'in-cluster', server: 'https://kubernetes.default.svc' };

/** The Argo CD cluster Secrets the program declares. */
export function clusterSecretsOf(graph: ResourceGraph): ClusterSecret[] {
  return (
    graph
      .all(
        'kubernetes:core/v1:Secret',
        (s) => s.inputs['metadata']?.labels?.[CLUSTER_SECRET_LABEL[0]] === CLUSTER_SECRET_LABEL[1],
      )
      // The Kubernetes SDK marks a Secret's stringData secret.
      .map((s) => ({
        metadata: s.inputs['metadata'],
        stringData: secretValue(s.inputs['stringData']) ?? s.inputs['stringData'],
      })) as ClusterSecret[]
  );
}

/**
 * The Applications an ApplicationSet generates from the cluster Secrets, as Argo CD v3.4 does with
 * a clusters generator and goTemplate (applicationset/generators/cluster.go GenerateParams): one
 * parameter set per Secret matching the selector (plus the secret-type label); the local cluster
 * without a Secret only when the selector is empty; `metadata.annotations` and `metadata.labels`
 * only when the Secret has some. Other generators and selector forms are refused.
 */
export function generateApplications(appSet: Manifest, secrets: readonly ClusterSecret[]): Manifest[] {
  const spec = appSet.spec;
  const where = `ApplicationSet ${appSet.metadata.name}`;
  if (spec.goTemplate !== true || !(spec.goTemplateOptions ?? []).includes('missingkey=error'))
    throw new Error(`${where}: only goTemplate with missingkey=error is modelled here`);
  return (spec.generators as Record<string, any>[]).flatMap((generator) => {
    const kinds = Object.keys(generator);
    if (kinds.length !== 1 || kinds[0] !== 'clusters') throw new Error(`${where}: generator ${kinds} is not modelled`);
    const selector = generator['clusters'].selector ?? {};
    if (selector.matchExpressions?.length) throw new Error(`${where}: matchExpressions are not modelled`);
    const wanted: Record<string, string> = {
      ...selector.matchLabels,
      [CLUSTER_SECRET_LABEL[0]]: CLUSTER_SECRET_LABEL[1],
    };
    const matching = secrets.filter((s) => Object.entries(wanted).every(([k, v]) => s.metadata.labels?.[k] === v));
    const params = matching.map((s) => {
      const metadata: Record<string, unknown> = {};
      if (Object.keys(s.metadata.annotations ?? {}).length) metadata['annotations'] = s.metadata.annotations;
      if (Object.keys(s.metadata.labels ?? {}).length) metadata['labels'] = s.metadata.labels;
      return {
        name: s.stringData.name,
        nameNormalized: s.stringData.name,
        server: s.stringData.server,
        project: s.stringData.project ?? '',
        metadata,
      };
    });
    const selectorEmpty = !Object.keys(selector.matchLabels ?? {}).length;
    if (selectorEmpty && !secrets.some((s) => s.stringData.server === IN_CLUSTER.server))
      params.push({ ...IN_CLUSTER, nameNormalized: IN_CLUSTER.name, project: '', metadata: {} });
    const template = generator['clusters'].template ?? spec.template;
    return params.map((p) => ({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      ...renderDeep({ metadata: template.metadata, spec: template.spec }, p),
    })) as Manifest[];
  });
}

/**
 * Every Application Argo CD would run: the program's, what they sync (app of apps, recursively),
 * and what the ApplicationSets among those generate from the program's cluster Secrets.
 */
export function allApplications(graph: ResourceGraph): Manifest[] {
  const secrets = clusterSecretsOf(graph);
  const found: Manifest[] = [];
  const visit = (app: Manifest) => {
    found.push(app);
    for (const m of renderApplication(app.spec) ?? []) {
      if (m.kind === 'Application') visit(m);
      if (m.kind === 'ApplicationSet') generateApplications(m, secrets).forEach(visit);
    }
  };
  graph.all('kubernetes:argoproj.io/v1alpha1:Application').forEach((a) => visit(a.inputs as unknown as Manifest));
  return found;
}

/** The one Application named `name` that Argo CD would run (see allApplications). */
export function applicationNamed(graph: ResourceGraph, name: string): Manifest {
  const found = allApplications(graph).filter((a) => a.metadata.name === name);
  if (found.length !== 1) throw new Error(`expected one Application ${name}, found ${found.length}`);
  return found[0]!;
}
