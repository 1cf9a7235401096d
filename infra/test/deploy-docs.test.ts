// docs/infra.md "Deploy from zero", checked against what it drives: the commands read the outputs
// bootstrap really exports, from the backend its state really lives in, and create each stack with
// the secrets provider its stack file and bootstrap name.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { parse } from 'yaml';
import { ACCOUNT, REPO_ROOT } from './mocks.js';
import { declaredBootstrap } from './ci/declared.js';
import { commandsOf, documentedStacks } from './pulumi-cli/documented-setup.js';
import { ConfigError } from '@zumo/config';
import { REQUIRED_KEYS } from '../src/config/config-keys.js';
import { parseStackConfig } from '../src/config/stack-config.js';
import { secretProblems } from '../src/config/read-stack-config.js';

const read = (path: string) => readFileSync(join(REPO_ROOT, path), 'utf8');
const docs = read('docs/infra.md');
const start = docs.indexOf('## Deploy from zero');
const section = docs.slice(start, docs.indexOf('\n## ', start + 1));
const { outputs } = declaredBootstrap();
/** The docs write the account id as a placeholder where bootstrap prints the real one. */
const asDocumented = (value: string) => value.replaceAll(ACCOUNT, '<account-id>');

/**
 * Pulumi resolves the current backend as PULUMI_BACKEND_URL, else the project file's backend.url,
 * else the stored login (pulumi/pulumi pkg/workspace/creds.go, GetCurrentCloudURLWithSource), and a
 * relative file:// path against the working directory (pkg/backend/diy/backend.go, massageBlobPath).
 */
t.test("bootstrap's outputs are read from its own backend, after any login", async (t) => {
  const project = parse(read('infra/bootstrap/Pulumi.yaml')) as { backend?: { url?: string } };
  t.equal(
    project.backend?.url,
    'file://.',
    'infra/bootstrap pins its file backend: the login to the bucket does not hide it',
  );
  t.match(
    read('.gitignore'),
    /^infra\/bootstrap\/\.pulumi\/$/m,
    'where file://. puts it from infra/bootstrap is gitignored',
  );
  t.notMatch(section, /pulumi login file:/, 'no login to a file backend (it would move every later command there)');
  const reads = [...section.matchAll(/cd infra\/bootstrap && pulumi stack output (\w+)/g)].map((m) => m[1]!);
  t.ok(reads.length > 0, 'the docs read bootstrap outputs from infra/bootstrap');
  for (const name of reads) t.ok(name in outputs, `bootstrap exports ${name}`);
});

t.test("the teardown destroys bootstrap from its own backend, after the stacks' state is gone", async (t) => {
  const teardown = docs.slice(docs.indexOf('## Teardown'));
  const destroy = teardown.indexOf('pulumi destroy --stack account');
  t.ok(destroy > 0, 'the teardown destroys the bootstrap stack');
  const before = teardown.slice(0, destroy);
  const cd = before.lastIndexOf('cd infra/bootstrap');
  t.ok(cd > 0, 'from infra/bootstrap, where its file backend resolves');
  t.ok(before.lastIndexOf('unset PULUMI_BACKEND_URL') > cd, 'with nothing overriding the project backend');
  t.notMatch(teardown, /pulumi login/, 'no login: it would not change where bootstrap state is read from');
  t.ok(before.lastIndexOf('pulumi stack rm prod') > 0, "after the stacks' state is removed from the bucket it empties");
});

t.test('the login and each stack init are what bootstrap and the stack files say', async (t) => {
  t.ok(section.includes(asDocumented(String(outputs['loginCommand']))), `the login is bootstrap's loginCommand`);
  const providers = outputs['secretsProviders'] as Record<string, string>;
  for (const stack of ['dev', 'prod']) {
    const file = parse(read(`Pulumi.${stack}.yaml`)) as { secretsprovider: string; config: Record<string, string> };
    const init = new RegExp(`pulumi stack init ${stack} +--secrets-provider '([^']+)'`).exec(section);
    t.ok(
      init,
      `${stack}: created with a literal --secrets-provider (never empty: Pulumi would fall back to a passphrase)`,
    );
    t.equal(init?.[1], file.secretsprovider, `${stack}: the provider of Pulumi.${stack}.yaml`);
    // bootstrap ran here in eu-west-1, the stack files' region.
    t.equal(file.config['aws:region'], 'eu-west-1');
    t.equal(init?.[1], providers[stack], `${stack}: bootstrap's secretsProviders.${stack}`);
  }
});

t.test('each stack is created in the state bucket and committed with the data key its init writes', async (t) => {
  const stacks = documentedStacks(commandsOf(section)).filter((s) => s.dir === '.');
  t.same(stacks.map((s) => s.stack).sort(), ['dev', 'prod'], 'the docs create dev and prod from the repository root');
  for (const s of stacks) {
    // Without a login (or PULUMI_BACKEND_URL) the CLI picks Pulumi Cloud (pkg/workspace/creds.go
    // GetCurrentCloudURL, ValueOrDefaultURL), and the stack would not be in the bucket.
    t.ok(s.loggedInBefore, `${s.stack}: \`pulumi login s3://...\` comes before \`stack init\``);
    // stack init writes encryptedkey (pkg/secrets/cloud/manager.go NewCloudSecretsManager); a
    // checkout without it mints a new data key with kms:Encrypt and rewrites the file.
    t.ok(
      s.committedAfterInit,
      `${s.stack}: Pulumi.${s.stack}.yaml is committed after \`stack init\` wrote its encryptedkey`,
    );
  }
});

/**
 * Every key prod cannot run without, from the code that refuses it: the keys every stack must set
 * (config-keys.ts), what parseStackConfig refuses in a prod stack that sets nothing else and in the
 * committed Pulumi.prod.yaml (its placeholders), and the secrets readStackSecrets requires.
 */
function keysProdRequires(): { plain: string[]; secret: string[] } {
  const refused = (raw: Record<string, unknown>) => {
    try {
      parseStackConfig(raw, 'eu-west-1');
      return [];
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      return error.problems.map((p) => p.name.replace(/^zumo:/, ''));
    }
  };
  const committed = (parse(read('Pulumi.prod.yaml')) as { config: Record<string, unknown> }).config;
  const fromFile = Object.fromEntries(
    Object.entries(committed)
      .filter(([key]) => key.startsWith('zumo:'))
      .map(([key, value]) => [key.slice('zumo:'.length), value]),
  );
  const plain = new Set([...REQUIRED_KEYS, ...refused({ environment: 'prod' }), ...refused(fromFile)]);
  const secret = secretProblems('prod', () => 'unset').map((p) => p.name.replace(/^zumo:/, ''));
  return { plain: [...plain].sort(), secret: secret.sort() };
}

/** A numbered step of the deploy-from-zero section, up to the next one. */
function step(n: number): string {
  const from = section.indexOf(`\n${n}. `);
  const to = section.indexOf(`\n${n + 1}. `, from);
  return from < 0 ? '' : section.slice(from, to < 0 ? undefined : to);
}

t.test('the stack config step sets every key prod requires, each secret with --secret', async (t) => {
  const { plain, secret } = keysProdRequires();
  t.ok(
    plain.includes('ciRunnerActorIds') && secret.length > 0,
    `prod requires ${plain.join(', ')}; ${secret.join(', ')}`,
  );
  const configure = step(4);
  t.ok(configure.includes('pulumi stack init prod'), 'step 4 creates and configures the stacks');
  for (const key of plain) t.ok(configure.includes(`\`${key}\``), `step 4 names \`${key}\``);
  const prod = documentedStacks(commandsOf(section)).find((s) => s.dir === '.' && s.stack === 'prod');
  for (const key of secret)
    t.ok(
      typeof prod?.config[key] === 'object',
      `step 4 runs \`pulumi config set --secret ${key} ... --stack prod\` (prod stops without it)`,
    );
  // delivery.md's one-time setup configures the stacks through this section (one list, one place).
  const heading = /^## (Deploy from zero.*)$/m.exec(docs)![1]!;
  const slug = heading
    .toLowerCase()
    .replace(/[^\w\s-]/g, '')
    .replace(/\s/g, '-');
  const delivery = read('docs/delivery.md');
  const setup = delivery.slice(delivery.indexOf('## One-time setup'));
  t.ok(setup.includes(`(infra.md#${slug})`), `delivery.md's one-time setup links to infra.md#${slug}`);
});

t.test(
  "the branch prod tracks is created right before the rulesets leave it to the App, before prod's first up",
  async (t) => {
    const delivery = read('docs/delivery.md');
    const from = delivery.indexOf('## One-time setup');
    const setup = commandsOf(delivery.slice(from, delivery.indexOf('\n## ', from + 1)));
    const tracked = (parse(read('Pulumi.prod.yaml')) as { config: Record<string, string> }).config['zumo:gitRevision']!;
    const at = (match: (words: readonly string[]) => boolean) => setup.findIndex((c) => match(c.words));
    const push = at((w) => w[0] === 'git' && w[1] === 'push' && w.some((word) => word.endsWith(`:${tracked}`)));
    const rulesets = at((w) => w[0] === 'bash' && w[1] === '.github/scripts/apply-rulesets.sh');
    const check = at((w) => w.join(' ').includes(`git ls-remote origin ${tracked}`));
    const up = at((w) => w.join(' ') === 'npx nx run infra:up:prod');
    t.ok(push >= 0, `the setup pushes ${tracked}`);
    t.equal(rulesets, push + 1, 'and applies the rulesets with the next command (no window for anyone else)');
    t.ok(check > rulesets, 'then checks nobody moved it in between');
    t.ok(up > check, "prod's first up (Argo CD tracks it from then on) comes after");
  },
);
