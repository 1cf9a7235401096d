/**
 * The part of Go's text/template that deploy/'s ApplicationSets use, evaluated as Argo CD does with
 * `goTemplate: true` and `missingkey=error` (argo-cd v3.4 applicationset/utils/utils.go Replace:
 * text/template with sprig's functions, each option applied with Option). Anything outside this
 * part is refused with an error naming it, so a template that uses more fails its tests here
 * instead of rendering differently in the cluster:
 *
 * - `{{ .a.b }}`: field chain over maps; a missing key is an error ("map has no entry for key");
 * - `{{ $v }}`: a variable of an enclosing range;
 * - `{{ range $v := splitList "<sep>" .a.b }} ... {{ end }}` (sprig splitList: strings.Split);
 * - trim markers `{{-` and `-}}` (the space beside them is required, as in Go).
 */

type Scope = Record<string, unknown>;
type Node =
  | { kind: 'text'; text: string }
  | { kind: 'value'; expr: string }
  | { kind: 'range'; variable: string; separator: string; field: string; body: Node[] };

const ACTION = /\{\{(-\s)?\s*([\s\S]*?)\s*(\s-)?\}\}/g;

function tokenize(template: string) {
  const tokens: ({ kind: 'text'; text: string } | { kind: 'action'; body: string })[] = [];
  let last = 0;
  let trimNext = false;
  for (const match of template.matchAll(ACTION)) {
    let text = template.slice(last, match.index);
    if (trimNext) text = text.replace(/^\s+/, '');
    if (match[1]) text = text.replace(/\s+$/, '');
    tokens.push({ kind: 'text', text });
    tokens.push({ kind: 'action', body: match[2]! });
    trimNext = Boolean(match[3]);
    last = match.index + match[0].length;
  }
  let rest = template.slice(last);
  if (trimNext) rest = rest.replace(/^\s+/, '');
  tokens.push({ kind: 'text', text: rest });
  return tokens;
}

const RANGE = /^range\s+(\$[A-Za-z_]\w*)\s*:=\s*splitList\s+"([^"\\]*)"\s+(\.[A-Za-z_][\w.]*)$/;
const FIELD = /^(\.[A-Za-z_]\w*)+$/;
const VARIABLE = /^\$[A-Za-z_]\w*$/;

function parse(template: string): Node[] {
  const root: Node[] = [];
  const stack: Node[][] = [root];
  for (const token of tokenize(template)) {
    const into = stack[stack.length - 1]!;
    if (token.kind === 'text') {
      if (token.text) into.push({ kind: 'text', text: token.text });
      continue;
    }
    const body = token.body;
    const range = RANGE.exec(body);
    if (range) {
      const node: Node = { kind: 'range', variable: range[1]!, separator: range[2]!, field: range[3]!, body: [] };
      into.push(node);
      stack.push(node.body);
    } else if (body === 'end') {
      if (stack.length === 1) throw new Error(`template: unexpected {{end}} in ${JSON.stringify(template)}`);
      stack.pop();
    } else if (FIELD.test(body) || VARIABLE.test(body)) {
      into.push({ kind: 'value', expr: body });
    } else {
      throw new Error(`template: {{ ${body} }} is outside what this renderer evaluates (go-template.ts)`);
    }
  }
  if (stack.length !== 1) throw new Error(`template: unexpected EOF, a {{range}} has no {{end}}`);
  return root;
}

function lookup(expr: string, data: unknown, scope: Scope): unknown {
  if (expr.startsWith('$')) {
    if (!(expr in scope)) throw new Error(`template: undefined variable "${expr}"`);
    return scope[expr];
  }
  let value = data;
  for (const key of expr.slice(1).split('.')) {
    if (value === null || typeof value !== 'object')
      throw new Error(`template: executing "${expr}": can't evaluate field ${key} in a non-map value`);
    if (!Object.hasOwn(value, key)) throw new Error(`template: executing "${expr}": map has no entry for key "${key}"`);
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

function show(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new Error(
    `template: cannot print ${JSON.stringify(value)} (only strings, numbers and booleans are printed here)`,
  );
}

function run(nodes: Node[], data: unknown, scope: Scope): string {
  return nodes
    .map((node) => {
      if (node.kind === 'text') return node.text;
      if (node.kind === 'value') return show(lookup(node.expr, data, scope));
      const list = show(lookup(node.field, data, scope)).split(node.separator);
      return list.map((item) => run(node.body, data, { ...scope, [node.variable]: item })).join('');
    })
    .join('');
}

/** One string templated with `data`, as Argo CD's Replace does with goTemplate and missingkey=error. */
export function renderGoTemplate(template: string, data: unknown): string {
  return run(parse(template), data, {});
}

/**
 * Every string of `value`, map keys included, templated with `data`: Argo CD templates each string
 * field of the Application template separately (utils.go deeplyReplace).
 */
export function renderDeep<T>(value: T, data: unknown): T {
  if (typeof value === 'string') return renderGoTemplate(value, data) as T;
  if (Array.isArray(value)) return value.map((v) => renderDeep(v, data)) as T;
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [renderGoTemplate(k, data), renderDeep(v, data)]),
    ) as T;
  return value;
}
