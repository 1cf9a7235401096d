// @ts-check
/**
 * Nx plugin for Pulumi projects. For every Pulumi.yaml it reads the stacks from the
 * Pulumi.<stack>.yaml files beside it and infers, on the Nx project that owns the program
 * (`main:`), the targets `preview:<stack>`, `up:<stack>` and `refresh:<stack>`, each running the
 * Pulumi CLI exactly as it runs with credentials. Their inputs are the program's production files,
 * its dependencies' (`^production`), Pulumi.yaml and that stack's file, so `nx affected` sees a
 * stack-file change as a change of that program only. None is cached: a preview depends on the
 * cloud's state and `up` changes it. When the owning project has a policy pack
 * (`<project>/policy/PulumiPolicy.yaml`), preview and up run it (`--policy-pack`): its mandatory
 * rules then hold on every real plan, from a laptop as from CI.
 *
 * Plain CommonJS on purpose: Nx loads plugins before anything is built.
 */
const { existsSync, readdirSync, readFileSync } = require('node:fs');
const { join, posix } = require('node:path');
const { parse } = require('yaml');

const STACK_FILE = /^Pulumi\.([A-Za-z0-9_.-]+)\.yaml$/;

/** The nearest directory at or above `path` (workspace-relative) that holds a package.json. */
function owningProject(workspaceRoot, path) {
  let dir = path;
  while (dir !== '.' && dir !== '' && !existsSync(join(workspaceRoot, dir, 'package.json'))) dir = posix.dirname(dir);
  return dir === '' ? '.' : dir;
}

/** @type {(command: string, stack: string, projectDir: string) => Record<string, unknown>} */
function cliTarget(command, stack, projectDir) {
  const pulumiYaml = posix.join(projectDir, 'Pulumi.yaml');
  const stackYaml = posix.join(projectDir, `Pulumi.${stack}.yaml`);
  return {
    executor: 'nx:run-commands',
    dependsOn: ['build'],
    cache: false,
    inputs: [
      'production',
      '^production',
      `{workspaceRoot}/${pulumiYaml}`,
      `{workspaceRoot}/${stackYaml}`,
      { env: 'AWS_PROFILE' },
    ],
    options: { cwd: projectDir, command },
    metadata: { technologies: ['pulumi'], description: `${command} (needs cloud credentials and \`pulumi login\`)` },
  };
}

/**
 * @param {string} file workspace-relative path of a Pulumi.yaml
 * @param {string} workspaceRoot
 */
function nodesFor(file, workspaceRoot) {
  const projectDir = posix.dirname(file);
  const project = parse(readFileSync(join(workspaceRoot, file), 'utf8')) ?? {};
  const main = typeof project.main === 'string' ? project.main : '.';
  const owner = owningProject(workspaceRoot, posix.dirname(posix.normalize(posix.join(projectDir, main))));
  const policyDir = posix.join(owner, 'policy');
  const policyPack = existsSync(join(workspaceRoot, policyDir, 'PulumiPolicy.yaml'))
    ? ` --policy-pack ${posix.relative(projectDir, policyDir) || '.'}`
    : '';
  const stacks = readdirSync(join(workspaceRoot, projectDir))
    .map((name) => STACK_FILE.exec(name)?.[1])
    .filter((stack) => stack !== undefined)
    .sort();
  /** @type {Record<string, unknown>} */
  const targets = {};
  for (const stack of stacks) {
    targets[`preview:${stack}`] = cliTarget(
      `pulumi preview --stack ${stack} --diff --suppress-progress${policyPack}`,
      stack,
      projectDir,
    );
    targets[`up:${stack}`] = cliTarget(
      `pulumi up --stack ${stack} --yes --suppress-progress${policyPack}`,
      stack,
      projectDir,
    );
    targets[`refresh:${stack}`] = cliTarget(
      `pulumi refresh --stack ${stack} --yes --suppress-progress`,
      stack,
      projectDir,
    );
  }
  return { projects: { [owner]: { targets } } };
}

/** @type {import('nx/src/project-graph/plugins/public-api').CreateNodesV2} */
const createNodesV2 = [
  '**/Pulumi.yaml',
  (files, _options, context) => files.map((file) => [file, nodesFor(file, context.workspaceRoot)]),
];

module.exports = { name: '@zumo/nx-pulumi', createNodesV2, createNodes: createNodesV2, nodesFor };
