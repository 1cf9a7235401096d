import type { Test } from 'tap';
import { renderApplication, type ApplicationSpec, type Manifest } from './argocd-render.js';
import type { ResourceGraph } from './graph.js';

/** Values that differ between stacks or accounts: addresses and ranges, account ids. */
const LITERALS = [/\b(?:\d{1,3}\.){3}\d{1,3}(?:\/\d{1,2})?\b/, /(?<![\d.])\d{12}(?![\d.])/];

/** Every string in an object with its JSON pointer. */
function* strings(value: unknown, path = ''): Generator<[string, string]> {
  if (typeof value === 'string') yield [path, value];
  else if (value && typeof value === 'object')
    for (const [key, child] of Object.entries(value)) yield* strings(child, `${path}/${key}`);
}

interface Patch {
  target: { kind: string; name?: string };
  patch: string;
}

/**
 * Stack-specific values in deploy/ are allowed only where the Application that syncs them replaces
 * them (a kustomize patch Pulumi writes), or in a container's image: the release pointer CI writes
 * (.github/scripts/set-image.sh), a reviewed commit by design. Anything else would be wrong in any
 * stack but one.
 */
export function literalsLeftIn(spec: ApplicationSpec) {
  const patches = (spec.source.kustomize?.patches ?? []) as Patch[];
  const replaced = (m: Manifest, path: string) =>
    patches.some(
      (p) =>
        p.target.kind === m.kind &&
        (p.target.name === undefined || p.target.name === m.metadata.name) &&
        (JSON.parse(p.patch) as { op: string; path: string }[]).some((op) => op.op === 'replace' && op.path === path),
    );
  const found: string[] = [];
  for (const m of renderApplication(spec, false) ?? [])
    for (const [path, value] of strings(m))
      if (LITERALS.some((l) => l.test(value)) && !replaced(m, path) && !/\/containers\/\d+\/image$/.test(path))
        found.push(`${m.kind}/${m.metadata.name}${path}: ${value}`);
  return found;
}

export function checkNoStackLiterals(t: Test, graph: ResourceGraph) {
  const apps = graph.all('kubernetes:argoproj.io/v1alpha1:Application').map((a) => a.inputs['spec']);
  const children = apps.flatMap((spec) =>
    (renderApplication(spec) ?? []).filter((m) => m.kind === 'Application').map((m) => m.spec),
  );
  for (const spec of [...apps, ...children].filter((s) => s.source.path))
    t.same(literalsLeftIn(spec), [], `${spec.source.path}: no address, range or account id but what Pulumi patches`);
}
