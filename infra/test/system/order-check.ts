import type { Test } from 'tap';
import { ResourceGraph } from './graph.js';
import { ORDER_RULES } from './order-rules.js';

/** Every order rule holds: each resource on the "later" side waits for every one on the "earlier" side. */
export function checkCreationOrder(t: Test, graph: ResourceGraph) {
  for (const rule of ORDER_RULES) {
    t.test(rule.name, async (t) => {
      const later = graph.resources.filter(rule.later);
      const earlier = graph.resources.filter(rule.earlier);
      t.ok(
        later.length > 0 && earlier.length > 0,
        `the rule applies (${later.length} later, ${earlier.length} earlier)`,
      );
      for (const l of later)
        for (const e of earlier)
          t.ok(graph.waitsFor(l, e), `${ResourceGraph.label(l)} waits for ${ResourceGraph.label(e)}: ${rule.why}`);
    });
  }
}
