import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { Ajv } from 'ajv';

export const DEPLOY_ROOT = join(import.meta.dirname, '..');
/** Upstream files vendored in the repository (see infra/reference/README.md). */
export const REFERENCE = join(DEPLOY_ROOT, '../infra/reference');

export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: any;
  [key: string]: unknown;
}

/** Renders a kustomization exactly as Argo CD does (kustomize via kubectl) and parses the objects. */
export function render(path: string): Manifest[] {
  const yaml = execFileSync('kubectl', ['kustomize', join(DEPLOY_ROOT, path)], { encoding: 'utf8', timeout: 60_000 });
  return parseAllDocuments(yaml)
    .map((doc) => doc.toJSON() as Manifest | null)
    .filter((m): m is Manifest => m !== null);
}

export function byKind(manifests: Manifest[], kind: string): Manifest {
  const found = manifests.filter((m) => m.kind === kind);
  if (found.length !== 1) throw new Error(`expected one ${kind}, found ${found.length}`);
  return found[0]!;
}

/** A validator for one kind from a CRD file in infra/reference (its stored, served version). */
export function crdValidator(file: string, kind: string) {
  const crd = parseAllDocuments(readFileSync(join(REFERENCE, file), 'utf8'))
    .map((d) => d.toJSON())
    .find((d) => d?.kind === 'CustomResourceDefinition' && d.spec.names.kind === kind);
  const version = crd.spec.versions.find((v: { served: boolean; storage: boolean }) => v.storage);
  return {
    version: `${crd.spec.group}/${version.name}`,
    validate: new Ajv({ strict: false, allErrors: true }).compile(version.schema.openAPIV3Schema),
  };
}
