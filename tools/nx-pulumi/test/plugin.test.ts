import { execFileSync } from 'node:child_process';
import { cpSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import t from 'tap';

const require = createRequire(import.meta.url);
const PLUGIN = join(import.meta.dirname, '../index.cjs');
const WORKSPACE_ROOT = join(import.meta.dirname, '../../..');
const plugin = require(PLUGIN) as {
  createNodesV2: readonly [
    string,
    (
      files: string[],
      options: unknown,
      context: { workspaceRoot: string },
    ) => [string, { projects: Record<string, { targets: Record<string, any> }> }][],
  ];
};

/** A small workspace shaped like this one: a web app, a shared package, a Pulumi program. */
const fixture = {
  'package.json': JSON.stringify({ name: 'fixture', private: true, workspaces: ['apps/*', 'packages/*', 'infra'] }),
  'nx.json': JSON.stringify({
    neverConnectToCloud: true,
    namedInputs: { default: ['{projectRoot}/**/*'], production: ['default'] },
    plugins: ['./tools/nx-pulumi/index.cjs'],
  }),
  'Pulumi.yaml': 'name: zumo\nruntime: nodejs\nmain: infra/dist/index.js\n',
  'Pulumi.dev.yaml': 'config:\n  zumo:environment: dev\n',
  'Pulumi.prod.yaml': 'config:\n  zumo:environment: prod\n',
  apps: {
    web: {
      'package.json': JSON.stringify({ name: '@zumo/web', dependencies: { '@zumo/config': '0.0.0' } }),
      'server.js': '1',
    },
  },
  packages: { config: { 'package.json': JSON.stringify({ name: '@zumo/config', version: '0.0.0' }), 'index.js': '1' } },
  infra: {
    'package.json': JSON.stringify({
      name: '@zumo/infra',
      dependencies: { '@zumo/config': '0.0.0' },
      scripts: { build: 'tsc' },
    }),
    'index.js': '1',
    bootstrap: { 'Pulumi.yaml': 'name: zumo-bootstrap\nruntime: nodejs\nmain: ../dist/bootstrap/index.js\n' },
  },
};

t.test('inferred targets for each stack, on the project that owns the program', async (t) => {
  const root = t.testdir(fixture);
  const [pattern, createNodes] = plugin.createNodesV2;
  t.equal(pattern, '**/Pulumi.yaml');
  const results = Object.fromEntries(
    createNodes(['Pulumi.yaml', 'infra/bootstrap/Pulumi.yaml'], undefined, { workspaceRoot: root }),
  );
  const targets = results['Pulumi.yaml']!.projects['infra']!.targets;
  t.same(Object.keys(targets).sort(), [
    'preview:dev',
    'preview:prod',
    'refresh:dev',
    'refresh:prod',
    'up:dev',
    'up:prod',
  ]);
  t.match(targets['preview:dev'], {
    executor: 'nx:run-commands',
    cache: false,
    dependsOn: ['build'],
    options: { cwd: '.', command: 'pulumi preview --stack dev --diff --suppress-progress' },
  });
  t.same(
    targets['up:prod'].inputs.slice(0, 4),
    ['production', '^production', '{workspaceRoot}/Pulumi.yaml', '{workspaceRoot}/Pulumi.prod.yaml'],
    'program, its packages, the project and the stack file',
  );
  t.equal(targets['up:prod'].cache, false, 'up is never cached');
  t.match(targets['up:prod'].options.command, /^pulumi up --stack prod --yes/);
  t.same(
    results['infra/bootstrap/Pulumi.yaml']!.projects['infra']!.targets,
    {},
    'a project without committed stacks gets no stack targets',
  );
});

t.test('preview and up run the policy pack of the owning project, when it has one', async (t) => {
  const root = t.testdir({
    ...fixture,
    infra: { ...fixture.infra, policy: { 'PulumiPolicy.yaml': 'runtime: nodejs\n' } },
  });
  const [, createNodes] = plugin.createNodesV2;
  const nodes = createNodes(['Pulumi.yaml'], undefined, { workspaceRoot: root })[0]![1];
  const targets = nodes.projects['infra']!.targets;
  t.equal(
    targets['preview:prod'].options.command,
    'pulumi preview --stack prod --diff --suppress-progress --policy-pack infra/policy',
    'relative to the Pulumi project, where the command runs',
  );
  t.equal(
    targets['up:dev'].options.command,
    'pulumi up --stack dev --yes --suppress-progress --policy-pack infra/policy',
  );
  t.notMatch(targets['refresh:dev'].options.command, /--policy-pack/, 'refresh changes no resource: no pack');
});

t.test('nx affected on a temporary git repository', async (t) => {
  const root = t.testdir(fixture);
  cpSync(PLUGIN, join(root, 'tools/nx-pulumi/index.cjs'));
  symlinkSync(join(WORKSPACE_ROOT, 'node_modules'), join(root, 'node_modules'), 'dir');
  const env = {
    ...process.env,
    NX_DAEMON: 'false',
    NX_NO_CLOUD: 'true',
    NX_SKIP_NX_CACHE: 'true',
    NX_WORKSPACE_DATA_DIRECTORY: join(root, '.nx/data'),
    // The plugin in the Nx process, not in a worker process of its own: less CPU per call, same graph.
    NX_ISOLATE_PLUGINS: 'false',
  };
  const git = (...args: string[]) => execFileSync('git', args, { cwd: root, env, stdio: 'pipe' });
  git('init', '-q', '-b', 'main');
  git('-c', 'user.email=ci@zumo.invalid', '-c', 'user.name=ci', 'add', '-A');
  git('-c', 'user.email=ci@zumo.invalid', '-c', 'user.name=ci', 'commit', '-q', '-m', 'base');
  const nxBin = join(dirname(require.resolve('nx/package.json')), 'dist/bin/nx.js');
  const affectedBy = (file: string) => {
    writeFileSync(join(root, file), `changed ${Date.now()}\n`, { flag: 'a' });
    git('-c', 'user.email=ci@zumo.invalid', '-c', 'user.name=ci', 'commit', '-q', '-am', `change ${file}`);
    const out = execFileSync(
      process.execPath,
      [nxBin, 'show', 'projects', '--affected', '--base=HEAD~1', '--head=HEAD', '--json'],
      { cwd: root, env, encoding: 'utf8', timeout: 120_000 },
    );
    return (JSON.parse(out) as string[]).sort();
  };
  t.same(affectedBy('apps/web/server.js'), ['@zumo/web'], 'a change only in apps/web affects web, not infra');
  t.same(
    affectedBy('packages/config/index.js'),
    ['@zumo/config', '@zumo/infra', '@zumo/web'],
    'a change in packages/config affects both',
  );
  t.same(affectedBy('Pulumi.dev.yaml'), ['@zumo/infra'], 'a change in a stack file affects only infra');
});
