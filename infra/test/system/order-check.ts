import type { Test } from 'tap';
import type { Registered } from '../mocks.js';
import { ResourceGraph } from './graph.js';
import { ORDER_RULES, type OrderRule } from './order-rules.js';

/** A time Sleep duration ("30s", "10m", "1h") in seconds; absent is 0. */
export function seconds(duration: unknown): number {
  if (duration === undefined) return 0;
  const match = /^(\d+)(s|m|h)$/.exec(String(duration));
  if (!match) throw new Error(`unreadable duration ${String(duration)}`);
  return Number(match[1]) * { s: 1, m: 60, h: 3600 }[match[2] as 's' | 'm' | 'h'];
}

/** `later` waits for `earlier` through a Sleep long enough for the rule, on create and on destroy. */
function settles(graph: ResourceGraph, rule: OrderRule, later: Registered, earlier: Registered): boolean {
  const { create = 0, destroy = 0 } = rule.settle ?? {};
  return graph
    .all('time:index/sleep:Sleep')
    .some(
      (sleep) =>
        seconds(sleep.inputs['createDuration']) >= create &&
        seconds(sleep.inputs['destroyDuration']) >= destroy &&
        graph.waitsFor(later, sleep) &&
        graph.waitsFor(sleep, earlier),
    );
}

/**
 * Every order rule holds: each resource on the "later" side waits for every one on the "earlier"
 * side (and so is deleted before it), through a Sleep where time must pass as well.
 */
export function checkCreationOrder(t: Test, graph: ResourceGraph) {
  for (const rule of ORDER_RULES) {
    t.test(rule.name, async (t) => {
      const later = graph.resources.filter(rule.later);
      const earlier = graph.resources.filter(rule.earlier);
      const pairs = later.flatMap((l) =>
        earlier.filter((e) => rule.related?.(l, e) ?? true).map((e) => [l, e] as const),
      );
      t.ok(
        pairs.length > 0,
        `the rule applies (${later.length} later, ${earlier.length} earlier, ${pairs.length} pairs)`,
      );
      for (const [l, e] of pairs) {
        const how = rule.settle ? ` long enough (${JSON.stringify(rule.settle)} s)` : '';
        t.ok(
          rule.settle ? settles(graph, rule, l, e) : graph.waitsFor(l, e),
          `${ResourceGraph.label(l)} waits for ${ResourceGraph.label(e)}${how}: ${rule.why}`,
        );
      }
    });
  }
}
