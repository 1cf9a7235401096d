/**
 * GitHub's own rules, as the ruleset and CODEOWNERS checks need them, each from its source.
 *
 * RULESET_SCHEMA: the request body of POST /repos/{owner}/{repo}/rulesets, field names and types
 * from the REST "rules" reference (docs.github.com, rendered from github/rest-api-description)
 * and the clients generated from that spec (openapi-github 0.1.0, spec 16.6.0:
 * RepositoryRulePullRequestParameters, RepositoryRuleRequiredStatusChecksParameters). Every object
 * is closed (additionalProperties: false), so a misspelt field fails here instead of being
 * ignored or refused by GitHub. Only the rule types these files use are listed.
 */
export const RULESET_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'target', 'enforcement', 'rules'],
  properties: {
    name: { type: 'string', minLength: 1 },
    target: { enum: ['branch', 'tag', 'push'] },
    enforcement: { enum: ['disabled', 'active', 'evaluate'] },
    bypass_actors: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['actor_type', 'bypass_mode'],
        properties: {
          // "Required for Integration, RepositoryRole, and Team actor types."
          actor_id: { type: ['integer', 'null'] },
          actor_type: { enum: ['Integration', 'OrganizationAdmin', 'RepositoryRole', 'Team', 'DeployKey', 'User'] },
          bypass_mode: { enum: ['always', 'pull_request', 'exempt'] },
        },
        if: { properties: { actor_type: { enum: ['Integration', 'RepositoryRole', 'Team'] } } },
        then: { properties: { actor_id: { type: 'integer', minimum: 1 } } },
      },
    },
    conditions: {
      type: 'object',
      additionalProperties: false,
      properties: {
        ref_name: {
          type: 'object',
          additionalProperties: false,
          required: ['include', 'exclude'],
          properties: {
            include: { type: 'array', items: { type: 'string' } },
            exclude: { type: 'array', items: { type: 'string' } },
          },
        },
      },
    },
    rules: {
      type: 'array',
      items: {
        oneOf: [
          {
            type: 'object',
            additionalProperties: false,
            required: ['type'],
            properties: { type: { enum: ['creation', 'deletion', 'non_fast_forward', 'required_linear_history'] } },
          },
          {
            type: 'object',
            additionalProperties: false,
            required: ['type'],
            properties: {
              type: { const: 'update' },
              parameters: {
                type: 'object',
                additionalProperties: false,
                required: ['update_allows_fetch_and_merge'],
                properties: { update_allows_fetch_and_merge: { type: 'boolean' } },
              },
            },
          },
          {
            type: 'object',
            additionalProperties: false,
            required: ['type', 'parameters'],
            properties: {
              type: { const: 'pull_request' },
              parameters: {
                type: 'object',
                additionalProperties: false,
                required: [
                  'dismiss_stale_reviews_on_push',
                  'require_code_owner_review',
                  'require_last_push_approval',
                  'required_approving_review_count',
                  'required_review_thread_resolution',
                ],
                properties: {
                  dismiss_stale_reviews_on_push: { type: 'boolean' },
                  require_code_owner_review: { type: 'boolean' },
                  require_last_push_approval: { type: 'boolean' },
                  required_approving_review_count: { type: 'integer', minimum: 0, maximum: 10 },
                  required_review_thread_resolution: { type: 'boolean' },
                  allowed_merge_methods: {
                    type: 'array',
                    minItems: 1,
                    items: { enum: ['merge', 'squash', 'rebase'] },
                  },
                },
              },
            },
          },
          {
            type: 'object',
            additionalProperties: false,
            required: ['type', 'parameters'],
            properties: {
              type: { const: 'required_status_checks' },
              parameters: {
                type: 'object',
                additionalProperties: false,
                required: ['required_status_checks', 'strict_required_status_checks_policy'],
                properties: {
                  required_status_checks: {
                    type: 'array',
                    items: {
                      type: 'object',
                      additionalProperties: false,
                      required: ['context'],
                      properties: { context: { type: 'string' }, integration_id: { type: 'integer' } },
                    },
                  },
                  strict_required_status_checks_policy: { type: 'boolean' },
                  do_not_enforce_on_create: { type: 'boolean' },
                },
              },
            },
          },
        ],
      },
    },
  },
} as const;

/**
 * Ruby's File.fnmatch with File::FNM_PATHNAME, which GitHub uses for ruleset ref patterns
 * (github/docs data/reusables/repositories/about-fnmatch.md): `*` and `?` never match `/`, and
 * `**` followed by `/` matches zero or more directories. Ported from ruby/ruby dir.c `fnmatch`
 * (the `**` + `/` skip, then "failed : try next recursion" retries one directory further) and
 * `fnmatch_helper` for one path segment; brackets, escapes and FNM_DOTMATCH are not needed here
 * and are refused.
 */
export function fnmatchPathname(pattern: string, path: string): boolean {
  if (/[[\]\\{}]/.test(pattern)) throw new Error(`fnmatchPathname: unsupported pattern ${pattern}`);
  const segment = (p: string, s: string): boolean => {
    if (s.startsWith('.') && !p.startsWith('.')) return false; // a leading period needs a literal one
    const re = new RegExp(
      `^${p
        .replace(/[.+^$()|]/g, '\\$&')
        .replace(/\*/g, '[^/]*')
        .replace(/\?/g, '[^/]')}$`,
    );
    return re.test(s);
  };
  let p = pattern.split('/');
  let s = path.split('/');
  let retryP: string[] | undefined;
  let retryS: string[] | undefined;
  for (;;) {
    if (p[0] === '**' && p.length > 1) {
      while (p[0] === '**' && p.length > 1) p = p.slice(1);
      retryP = p;
      retryS = s;
    }
    if (p.length && s.length && segment(p[0]!, s[0]!)) {
      if (p.length > 1 && s.length > 1) {
        p = p.slice(1);
        s = s.slice(1);
        continue;
      }
      if (p.length === 1 && s.length === 1) return true;
    }
    // One directory further down for the last `**/`, unless that directory is hidden.
    if (retryP && retryS && retryS.length > 1 && !retryS[0]!.startsWith('.')) {
      retryS = retryS.slice(1);
      p = retryP;
      s = retryS;
      continue;
    }
    return false;
  }
}

export interface CodeOwnersRule {
  pattern: string;
  owners: string[];
  line: number;
}

/** The rules of a CODEOWNERS file, in order (comments and blank lines skipped). */
export function parseCodeOwners(text: string): CodeOwnersRule[] {
  return text.split('\n').flatMap((raw, i) => {
    const line = raw.replace(/\s+#.*$/, '').trim();
    if (!line || line.startsWith('#')) return [];
    const [pattern, ...owners] = line.split(/\s+/);
    return [{ pattern: pattern!, owners, line: i + 1 }];
  });
}

/**
 * The owners of a path: the LAST matching rule wins (github/docs about-code-owners.md, "Order is
 * important"). Patterns follow .gitignore rules; the subset used here: anchored (`/x`), a trailing
 * `/` for "this directory and everything below it", `*` within one segment. Anything else is
 * refused rather than guessed.
 */
export function ownersOf(rules: CodeOwnersRule[], path: string): CodeOwnersRule | undefined {
  let found: CodeOwnersRule | undefined;
  for (const rule of rules) {
    if (!rule.pattern.startsWith('/') || /[?[\]\\!]|\*\*/.test(rule.pattern))
      throw new Error(`CODEOWNERS line ${rule.line}: pattern ${rule.pattern} is outside the checked subset`);
    const anchored = rule.pattern.slice(1);
    const matches = anchored.endsWith('/')
      ? path.startsWith(anchored)
      : fnmatchPathname(anchored, path) ||
        path
          .split('/')
          .some((_, i, parts) => fnmatchPathname(anchored, parts.slice(0, i + 1).join('/')) && i < parts.length - 1);
    if (matches) found = rule;
  }
  return found;
}
