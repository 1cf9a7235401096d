import type { Test } from 'tap';
import { parse } from 'yaml';
import { allApplications, renderApplication, type ApplicationSpec, type Manifest } from './argocd-render.js';
import type { ResourceGraph } from './graph.js';

/** Values that differ between stacks or accounts: addresses and ranges, account ids. */
const LITERALS = [/\b(?:\d{1,3}\.){3}\d{1,3}(?:\/\d{1,2})?\b/, /(?<![\d.])\d{12}(?![\d.])/];
/**
 * Addresses that are the same on every EKS node: the Pod Identity agent's link-local address
 * (EKS user guide, "Understand how EKS Pod Identity works": 169.254.170.23).
 */
const SAME_EVERYWHERE = ['169.254.170.23/32'];
const stackSpecific = (value: string) =>
  LITERALS.some((l) => l.test(SAME_EVERYWHERE.reduce((v, a) => v.replaceAll(a, ''), value)));

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
        (parse(p.patch) as { op: string; path: string }[]).some((op) => op.op === 'replace' && op.path === path),
    );
  const found: string[] = [];
  for (const m of renderApplication(spec, false) ?? [])
    for (const [path, value] of strings(m))
      if (stackSpecific(value) && !replaced(m, path) && !/\/containers\/\d+\/image$/.test(path))
        found.push(`${m.kind}/${m.metadata.name}${path}: ${value}`);
  return found;
}

export function checkNoStackLiterals(t: Test, graph: ResourceGraph) {
  for (const spec of allApplications(graph)
    .map((a) => a.spec as ApplicationSpec)
    .filter((s) => s.source.path))
    t.same(literalsLeftIn(spec), [], `${spec.source.path}: no address, range or account id but what Pulumi patches`);
}
