/**
 * What of a `pulumi preview --diff` may be shown where anyone can read it. In a public repository
 * the run log, the run summary and issues are public; a full prod diff holds property values
 * (alert e-mail addresses, CIDRs, the account id in every ARN, outputs) and error messages that
 * quote them. The summary keeps, for each resource that changes, its operation, type and name
 * (from its URN: names the program chose), the policy rules that were violated, Pulumi's closing
 * "Resources:" counts, and how many errors there were, never their text.
 *
 * Pulumi's diff display (pulumi/pulumi pkg/backend/display/object_diff.go): a step header
 * `<prefix><type>: (<op>)`, then `[id=...]`, `[urn=...]` and the properties, indented.
 */
import { stripVTControlCharacters } from 'node:util';
import { summarizeChanges } from './preview-comment.js';

const HEADER = /^\s*(?:\+\+|--|\+-|-\+|[+\-~<>=*])?\s*([A-Za-z][\w.-]*:[\w./-]*:[\w./$:-]+): \(([a-z-]+)\)\s*$/;
const URN = /^\s*(?:\S{1,2}\s+)?\[urn=([^\]]+)\]\s*$/;
/** `<pack>@v<version> [mandatory]  <policy> (<type>: <name>)`, pkg/backend/display/diff.go renderDiffPolicyViolationEvent. */
const POLICY = /\[(mandatory|advisory|remediate)\](?: \[severity: \w+\])?\s+([\w.-]+)(?: (\([\w:/.$-]+: [\w.$-]+\)))?/;

export interface SummaryOptions {
  /** The stack, named in the pointer to the full preview. */
  readonly stack: string;
}

export function previewSummary(output: string, options: SummaryOptions): string {
  const lines = stripVTControlCharacters(output).split('\n');
  const changes: string[] = [];
  lines.forEach((line, i) => {
    const header = HEADER.exec(line);
    if (!header || header[2] === 'same') return;
    const urn = lines
      .slice(i + 1, i + 4)
      .map((next) => URN.exec(next)?.[1])
      .find(Boolean);
    const name = urn ? urn.slice(urn.lastIndexOf('::') + 2) : '(unnamed)';
    changes.push(`${header[2]} ${header[1]} ${name}`);
  });
  const policies = [...new Set(lines.flatMap(policyLine))];
  const errors = lines.filter((line) => /^\s*error:/.test(line)).length;
  const counts = summarizeChanges(output);
  return [
    `Summary only: the full preview of ${options.stack} stays off GitHub (values, ARNs and errors would be public in a public repository). For the details run \`npx nx run infra:preview:${options.stack}\` with the stack's credentials.`,
    '',
    'Changes:',
    ...(changes.length ? changes.map((c) => `  ${c}`) : ['  (none listed)']),
    ...(policies.length ? ['', 'Policy violations:', ...policies.map((p) => `  ${p}`)] : []),
    ...(errors ? ['', `Errors: ${errors} (not shown here)`] : []),
    '',
    counts === 'no resource summary'
      ? 'Resources: no resource summary'
      : `Resources:\n    ${counts.split(', ').join('\n    ')}`,
    '',
  ].join('\n');
}

/** "[mandatory] policy (type: name)" for a policy violation line, without its message. */
function policyLine(line: string): string[] {
  const match = POLICY.exec(line);
  return match ? [[`[${match[1]}]`, match[2], match[3]].filter(Boolean).join(' ')] : [];
}
