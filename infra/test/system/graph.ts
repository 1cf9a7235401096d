/**
 * The declared system as the Pulumi engine sees it: every resource with its parent, provider and
 * the resources it waits for. The engine creates a resource only after everything it waits for
 * (dependencies and its provider) and deletes in the reverse order, children before parents; so
 * "A is created after B" and "B outlives A on destroy" are both "A reaches B" here.
 */
import type { Registered } from '../mocks.js';

export class ResourceGraph {
  private readonly byUrn = new Map<string, Registered>();

  constructor(readonly resources: readonly Registered[]) {
    for (const r of resources) this.byUrn.set(r.urn, r);
  }

  get(urn: string): Registered {
    const found = this.byUrn.get(urn);
    if (!found) throw new Error(`no resource ${urn}`);
    return found;
  }

  all(type: string, predicate: (r: Registered) => boolean = () => true): Registered[] {
    return this.resources.filter((r) => r.type === type && predicate(r));
  }

  one(type: string, predicate: (r: Registered) => boolean = () => true): Registered {
    const found = this.all(type, predicate);
    if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
    return found[0]!;
  }

  /** Resources `r` waits for directly: its dependencies and its explicit provider. */
  edges(r: Registered): string[] {
    return [...r.dependencies, ...(r.provider ? [r.provider] : [])];
  }

  /** Whether `later` (transitively) waits for `earlier`: created after it, deleted before it. */
  waitsFor(later: Registered, earlier: Registered): boolean {
    const seen = new Set<string>();
    const stack = [later.urn];
    while (stack.length) {
      const urn = stack.pop()!;
      if (urn === earlier.urn && urn !== later.urn) return true;
      if (seen.has(urn)) continue;
      seen.add(urn);
      const node = this.byUrn.get(urn);
      if (node) stack.push(...this.edges(node));
    }
    return false;
  }

  /** Custom resources below a component (by URN ancestry through `parent`). */
  descendants(component: Registered): Registered[] {
    const below = (r: Registered): boolean =>
      r.parent !== undefined && (r.parent === component.urn || below(this.get(r.parent)));
    return this.resources.filter((r) => r.custom && below(r));
  }

  /** A readable name for messages. */
  static label(r: Registered): string {
    return `${r.type.split(':').pop()} ${r.name}`;
  }
}
