// The Pulumi CLI's own checks, before any program runs, applied to every committed Pulumi.yaml and
// the stacks it runs: the main project's dev and prod as CI reads them (the committed stack files,
// plus what the documented setup writes and commits), and infra/bootstrap's stack with the config
// the documented setup gives it. The rules are ported from pulumi/pulumi at CI's version
// (test/pulumi-cli/*.ts name the Go functions); a failure here is a `pulumi preview` that never starts.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, posix, relative } from 'node:path';
import t from 'tap';
import { parse } from 'yaml';
import { REPO_ROOT } from '../mocks.js';
import {
  loadProject,
  parseNodejsOptions,
  parseStackName,
  runtimeOf,
  validateConfigValue,
  validateProjectName,
  type ItemsType,
  type Project,
} from './project.js';
import {
  afterStackInit,
  loadStack,
  mergeConfig,
  secretsManagerUse,
  toConfigValue,
  validateSecretsProvider,
  type StackFile,
} from './stack.js';
import { commandsOf, docsSection, documentedStacks } from './documented-setup.js';
import { CONFIG_KEYS, type ConfigKeyName } from '../../src/config/config-keys.js';

const setup = documentedStacks(commandsOf(docsSection('Deploy from zero')));
const projectFiles = ['Pulumi.yaml', 'infra/bootstrap/Pulumi.yaml'];
const STACK_FILE = /^Pulumi\.([^.]+)\.yaml$/;

/** Stacks of a project: a committed stack file, or a `stack init` of the documented setup. */
function stacksOf(dir: string): string[] {
  const files = readdirSync(join(REPO_ROOT, dir))
    .map((f) => STACK_FILE.exec(f)?.[1])
    .filter((s): s is string => s !== undefined);
  return [...new Set([...files, ...setup.filter((s) => s.dir === dir).map((s) => s.stack)])].sort();
}

/**
 * The stack file a run reads: the committed one, plus what the documented `stack init` and
 * `pulumi config set` write, if that lands where the run reads it (committed, or on the admin's
 * machine for a project only admins run).
 */
function stackAsRun(project: Project, dir: string, stack: string, adminOnly: boolean): StackFile {
  const committed = loadStack(project, join(REPO_ROOT, dir, `Pulumi.${stack}.yaml`));
  const documented = setup.find((s) => s.dir === dir && s.stack === stack);
  if (!documented || !(adminOnly || documented.committedAfterInit)) return committed;
  const initialised = afterStackInit(committed, documented.secretsProvider);
  const config = new Map(initialised.config);
  for (const [key, value] of Object.entries(documented.config))
    config.set(key.includes(':') ? key : `${project.name}:${key}`, toConfigValue(value));
  return { ...initialised, config };
}

/** Where `tsc -p <project>/tsconfig.lib.json` writes a source file, and back. */
function sourceOfBuilt(built: string): string | undefined {
  let dir = dirname(built);
  while (dir !== '.' && !existsSync(join(REPO_ROOT, dir, 'tsconfig.lib.json'))) dir = dirname(dir);
  if (dir === '.') return undefined;
  const { compilerOptions } = parse(readFileSync(join(REPO_ROOT, dir, 'tsconfig.lib.json'), 'utf8')) as {
    compilerOptions: { rootDir: string; outDir: string };
  };
  const inOut = posix.relative(posix.join(dir, compilerOptions.outDir), built);
  if (inOut.startsWith('..')) return undefined;
  return posix.join(dir, compilerOptions.rootDir, inOut.replace(/\.js$/, '.ts'));
}

const itemsOf = (type: string): ItemsType | undefined =>
  type.startsWith('array<') ? { type: type.slice('array<'.length, -1) } : undefined;

for (const file of projectFiles) {
  const dir = dirname(file);
  t.test(file, async (t) => {
    let project: Project;
    try {
      project = loadProject(join(REPO_ROOT, file));
    } catch (error) {
      t.fail(`the CLI loads it (schema, Project.Validate): ${(error as Error).message}`);
      return;
    }
    t.pass('the CLI loads it: the JSON schema and Project.Validate hold');
    t.equal(validateProjectName(project.name), undefined, `project name ${project.name}`);

    const runtime = runtimeOf(project);
    t.equal(runtime.name, 'nodejs', 'the nodejs language host runs it');
    t.equal(parseNodejsOptions(runtime.options), undefined, 'its runtime options are ones the nodejs host takes');

    // pkg/engine/project.go getPwdMain: main is relative to Pulumi.yaml and must exist at run time.
    const main = posix.normalize(posix.join(dir, project.main ?? '.'));
    const source = sourceOfBuilt(main);
    t.ok(source && existsSync(join(REPO_ROOT, source)), `main ${main} is where the build writes ${source}`);

    // pkg/workspace/creds.go GetCurrentCloudURL: the project's backend.url, else the login.
    const backend = project.backend?.url;
    t.ok(
      backend === undefined || /^(file|s3):\/\//.test(backend),
      `backend ${backend ?? '(the login)'} is a DIY backend`,
    );
    const adminOnly = backend !== undefined;

    const stacks = stacksOf(dir);
    t.ok(stacks.length > 0, 'it has stacks');
    for (const stack of stacks)
      t.test(`stack ${stack}`, async (t) => {
        t.equal(parseStackName(stack), undefined, 'a valid stack name');
        const run = stackAsRun(project, dir, stack, adminOnly);
        const merged = mergeConfig(stack, project, run.config);
        t.notOk('error' in merged, `its config passes the CLI: ${'error' in merged ? merged.error : 'ok'}`);

        if (run.secretsprovider)
          t.equal(validateSecretsProvider(run.secretsprovider), undefined, 'a known secrets provider');
        const secrets = secretsManagerUse(run);
        if (!adminOnly)
          t.notOk(
            secrets.encrypts || secrets.rewritesStackFile,
            `${secrets.kind} secrets: CI opens them with kms:Decrypt only (an encryptedkey is committed with its provider), ` +
              'never minting a data key (kms:Encrypt, which the preview role lacks) and rewriting the stack file',
          );
        t.ok(!run.encryptionsalt || secrets.kind === 'passphrase', 'an encryptionsalt only with a passphrase');
        t.equal(run.environment, undefined, 'no ESC environment: a DIY backend refuses them');

        const documented = setup.find((s) => s.dir === dir && s.stack === stack);
        if (documented && !adminOnly)
          t.ok(
            documented.loggedInBefore,
            'the docs log in to the state bucket before `stack init` (else Pulumi Cloud)',
          );

        if (project.name !== 'zumo') return;
        // The table documents the keys the CLI does not check (the optional ones): the same types.
        for (const [key, value] of run.config) {
          const [namespace, name] = key.split(':') as [string, string];
          if (namespace !== project.name) continue;
          const spec = CONFIG_KEYS[name as ConfigKeyName];
          if (!spec) continue; // the program refuses unknown keys itself (config/stack-config.ts)
          if ('secret' in spec) t.ok(value.secure, `${key} is secure: (set with --secret)`);
          else {
            const content = value.object ? JSON.parse(value.text) : value.text;
            t.ok(
              validateConfigValue(spec.type.replace(/<.*/, ''), itemsOf(spec.type), content),
              `${key} is a ${spec.type}`,
            );
          }
        }
      });
  });
}

t.test('the policy pack the Pulumi targets pass loads', async (t) => {
  // pkg/resource/plugin/analyzer_plugin.go NewPolicyAnalyzer: <dir>/PulumiPolicy.yaml, runtime required
  // (PolicyPackProject.Validate); the nodejs host then resolves @pulumi/pulumi/cmd/run-policy-pack
  // from the pack's directory and requires the directory: its package.json main.
  const dir = join(REPO_ROOT, 'infra/policy');
  const pack = parse(readFileSync(join(dir, 'PulumiPolicy.yaml'), 'utf8')) as { runtime?: unknown };
  t.equal(runtimeOf(pack).name, 'nodejs', "project is missing a 'runtime' attribute: not here");
  t.equal(parseNodejsOptions(runtimeOf(pack).options), undefined);
  const require = createRequire(join(dir, 'index.js'));
  t.doesNotThrow(() => require.resolve('@pulumi/pulumi/cmd/run-policy-pack'), 'the SDK resolves from the pack');
  t.doesNotThrow(() => require.resolve('@pulumi/policy'), '@pulumi/policy resolves from the pack');
  const { main } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { main: string };
  const built = relative(REPO_ROOT, join(dir, main));
  const source = sourceOfBuilt(built);
  t.ok(source && existsSync(join(REPO_ROOT, source)), `its main ${built} is where the build writes ${source}`);
});
