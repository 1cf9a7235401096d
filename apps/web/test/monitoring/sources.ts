/**
 * The monitoring configuration that watches this service (deploy/monitoring), read as files: the
 * alert rules of the PrometheusRule and the PromQL of the Grafana dashboard.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parser } from '@prometheus-io/lezer-promql';
import { parse } from 'yaml';

const MONITORING = join(import.meta.dirname, '../../../../deploy/monitoring');

export interface AlertRule {
  alert: string;
  expr: string;
  for?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}
export interface RuleGroup {
  name: string;
  rules: AlertRule[];
}

export function ruleGroups(): RuleGroup[] {
  const rule = parse(readFileSync(join(MONITORING, 'config/prometheusrule-web.yaml'), 'utf8'));
  return rule.spec.groups;
}

export function dashboardQueries(): { panel: string; expr: string }[] {
  const dashboard = JSON.parse(readFileSync(join(MONITORING, 'config/dashboards/web.json'), 'utf8'));
  return dashboard.panels.flatMap((p: { title: string; targets: { expr: string }[] }) =>
    p.targets.map((target) => ({ panel: p.title, expr: target.expr })),
  );
}

/** Metric names a PromQL expression selects; throws on a syntax error (with the offset). */
export function metricNames(expr: string): string[] {
  const names: string[] = [];
  let error: number | undefined;
  parser.parse(expr).iterate({
    enter: (node) => {
      if (node.type.isError) error ??= node.from;
      if (node.name === 'Identifier' && node.node.parent?.name === 'VectorSelector')
        names.push(expr.slice(node.from, node.to));
    },
  });
  if (error !== undefined) throw new Error(`PromQL syntax error at ${error}: ${expr.slice(error, error + 30)}`);
  return names;
}
