// set-image.sh, the editor of the release pointer that runs in the jobs holding the release App's
// token (the yaml package, pinned by its own lockfile): its writes are read back with a YAML
// parser and rendered with kustomize, and everything that is not the overlay format is refused.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { parse } from 'yaml';
import { REPO_ROOT, SCRIPTS_DIR } from '../workflows.js';

const fixture = readFileSync(join(import.meta.dirname, '../fixtures/kustomization.yaml'), 'utf8');
const image = {
  repository: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/zumo/web-dev',
  tag: '1234567',
  digest: `sha256:${'ab'.repeat(32)}`,
};
const setImage = (...args: string[]) =>
  spawnSync('bash', [join(SCRIPTS_DIR, 'set-image.sh'), ...args], { encoding: 'utf8' });
const write = (dir: string, i = image) => setImage(dir, i.repository, i.tag, i.digest);
const overlay = (text = fixture) => t.testdir({ 'kustomization.yaml': text });
const read = (dir: string) => readFileSync(join(dir, 'kustomization.yaml'), 'utf8');

t.test('sets repository, tag, digest and the version label, keeping comments and layout', async (t) => {
  const dir = overlay();
  const result = write(dir);
  t.equal(result.status, 0, result.stderr);
  t.match(result.stdout, `updated: ${dir} -> ${image.repository}:${image.tag}@${image.digest}`);
  const bumped = read(dir);
  const parsed = parse(bumped);
  t.same(parsed.images, [{ name: 'zumo/web', newName: image.repository, newTag: '1234567', digest: image.digest }]);
  t.equal(parsed.labels[0].pairs['app.kubernetes.io/version'], '1234567', 'RELEASE follows the tag');
  t.equal(typeof parsed.images[0].newTag, 'string', 'an all-digit SHA stays a string');
  t.match(bumped, '# The release: written by .github/scripts/set-image.sh (CI)', 'comments survive');
  t.match(bumped, '- name: zumo/web # the name the base uses', 'inline comments survive');
  const untouched = (text: string) => text.split('\n').filter((l) => !/newName|newTag|digest|version/.test(l));
  t.same(untouched(bumped), untouched(fixture), 'every other line is unchanged');
});

t.test('is idempotent and rewrites an existing digest in place', async (t) => {
  const dir = overlay();
  write(dir);
  const once = read(dir);
  const again = write(dir);
  t.match(again.stdout, /^unchanged: /, 'a second run with the same image changes nothing');
  t.equal(read(dir), once);
  const next = { ...image, tag: 'abcdef0', digest: `sha256:${'cd'.repeat(32)}` };
  t.equal(write(dir, next).status, 0);
  t.same(parse(read(dir)).images[0], {
    name: 'zumo/web',
    newName: image.repository,
    newTag: 'abcdef0',
    digest: next.digest,
  });
  t.equal(read(dir).match(/digest:/g)?.length, 1, 'one digest line, not a second one');
});

t.test('the repository overlays are in the format it edits', async (t) => {
  for (const env of ['dev', 'prod']) {
    const dir = overlay(readFileSync(join(REPO_ROOT, `deploy/web/overlays/${env}/kustomization.yaml`), 'utf8'));
    const result = write(dir, { ...image, repository: image.repository.replace('web-dev', `web-${env}`) });
    t.equal(result.status, 0, `${env}: ${result.stderr}`);
    t.equal(parse(read(dir)).images[0].digest, image.digest, `${env}: the digest is written`);
  }
});

t.test('refuses malformed input and unexpected files with the reason, exit 2', async (t) => {
  const cases: [Partial<typeof image>, RegExp][] = [
    [{ tag: 'latest' }, /tag "latest" is not a git SHA/],
    [{ tag: 'ABCDEF1' }, /tag "ABCDEF1" is not a git SHA/],
    [{ digest: 'sha256:xyz' }, /digest "sha256:xyz" is not sha256: followed by 64 hex/],
    [{ digest: 'md5:abc' }, /digest/],
    [{ repository: 'not a repo' }, /repository "not a repo" is not <registry>\/<repository>/],
    [{ repository: 'a.b/c\nnewTag: x' }, /repository/],
  ];
  for (const [change, message] of cases) {
    const dir = overlay();
    const result = write(dir, { ...image, ...change });
    t.equal(result.status, 2, JSON.stringify(change));
    t.match(result.stderr, message, JSON.stringify(change));
    t.equal(read(dir), fixture, `${JSON.stringify(change)}: the file is untouched`);
  }
  const files: [string, RegExp][] = [
    [fixture.replace('zumo/web #', 'other/app #'), /0 images entries named zumo\/web/],
    [fixture.replace(/ {2}- name: zumo\/web[^\n]*\n/, (entry) => entry + entry), /2 images entries named zumo\/web/],
    [fixture.replace(/ {4}newTag:[^\n]*\n/, ''), /has no newTag/],
    [fixture.replace(/ {6}app\.kubernetes\.io\/version[^\n]*\n/, ''), /0 app.kubernetes.io\/version labels/],
  ];
  for (const [text, message] of files) {
    const dir = overlay(text);
    const result = write(dir);
    t.equal(result.status, 2);
    t.match(result.stderr, message);
    t.match(result.stderr, /is not the overlay format CI writes/);
    t.equal(read(dir), text, 'the file is untouched');
  }
  t.match(setImage(join(overlay(), 'missing')).stderr, /usage: set-image.sh/);
  t.match(write(join(overlay(), 'missing')).stderr, /kustomization.yaml does not exist/);
});

t.test('the written overlay renders with kustomize to the pinned image', async (t) => {
  const dir = t.testdir({
    base: {
      'kustomization.yaml': 'resources: [deployment.yaml]\n',
      'deployment.yaml':
        'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec: {containers: [{name: web, image: zumo/web}]}\n',
    },
    overlay: { 'kustomization.yaml': fixture.replace('../../base', '../base') },
  });
  t.equal(write(join(dir, 'overlay')).status, 0);
  const rendered = parse(execFileSync('kubectl', ['kustomize', join(dir, 'overlay')], { encoding: 'utf8' }));
  t.equal(
    rendered.spec.template.spec.containers[0].image,
    `${image.repository}:${image.tag}@${image.digest}`,
    'tag for people, digest pins the bytes',
  );
  t.equal(rendered.spec.template.metadata.labels['app.kubernetes.io/version'], '1234567');
});

t.test('--print: the image an overlay runs, as GITHUB_OUTPUT lines; placeholders refused', async (t) => {
  const dir = overlay();
  const never = setImage('--print', dir);
  t.equal(never.status, 3, 'the placeholder has an exit status of its own (publish-prod ends quietly on it)');
  t.match(never.stderr, /has no digest: this overlay never received a release/, 'a placeholder is never promoted');
  write(dir);
  const printed = setImage('--print', dir);
  t.equal(printed.status, 0, printed.stderr);
  t.equal(printed.stdout, `repository=${image.repository}\ntag=${image.tag}\ndigest=${image.digest}\n`);
  writeFileSync(join(dir, 'kustomization.yaml'), read(dir).replace("newTag: '1234567'", "newTag: 'latest'"));
  t.match(setImage('--print', dir).stderr, /tag "latest" is not a git SHA/);
});

t.test('the jobs install exactly the yaml the workspace tests: one package, pinned, with its integrity', async (t) => {
  const folder = join(SCRIPTS_DIR, 'set-image');
  const own = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8'));
  const lock = JSON.parse(readFileSync(join(folder, 'package-lock.json'), 'utf8'));
  const root = JSON.parse(readFileSync(join(REPO_ROOT, 'package-lock.json'), 'utf8'));
  t.same(Object.keys(own.dependencies), ['yaml'], 'one dependency');
  t.match(own.dependencies.yaml, /^\d+\.\d+\.\d+$/, 'an exact version, not a range');
  t.same(
    Object.keys(lock.packages).filter(Boolean),
    ['node_modules/yaml'],
    'the lockfile holds yaml and nothing else (it has no dependencies)',
  );
  const locked = lock.packages['node_modules/yaml'];
  t.equal(locked.version, own.dependencies.yaml, 'the lockfile pins the version package.json names');
  t.match(locked.integrity, /^sha512-/, 'npm ci checks the tarball against this hash');
  const workspace = root.packages['.github/scripts/set-image/node_modules/yaml'] ?? root.packages['node_modules/yaml'];
  t.same(
    { version: workspace.version, integrity: workspace.integrity },
    { version: locked.version, integrity: locked.integrity },
    "the workspace's lockfile installs the same tarball for the tests",
  );
});

t.test('without its package installed it says how to install it, and touches nothing', async (t) => {
  const dir = t.testdir({
    scripts: {
      'set-image.sh': readFileSync(join(SCRIPTS_DIR, 'set-image.sh'), 'utf8'),
      'set-image': {
        'set-image.mjs': readFileSync(join(SCRIPTS_DIR, 'set-image/set-image.mjs'), 'utf8'),
        'package.json': readFileSync(join(SCRIPTS_DIR, 'set-image/package.json'), 'utf8'),
      },
    },
    overlay: { 'kustomization.yaml': fixture },
  });
  const result = spawnSync(
    'bash',
    [join(dir, 'scripts/set-image.sh'), join(dir, 'overlay'), image.repository, image.tag, image.digest],
    {
      encoding: 'utf8',
    },
  );
  t.equal(result.status, 2);
  t.match(result.stderr, /yaml [\d.]+ is not installed next to the script: run npm ci --ignore-scripts --prefix /);
  t.equal(read(join(dir, 'overlay')), fixture);
});

t.test('runs nothing NODE_OPTIONS would preload', async (t) => {
  const dir = t.testdir({ 'preload.cjs': "require('fs').writeFileSync(__dirname + '/ran', 'x');\n" });
  const result = spawnSync(
    'bash',
    [join(SCRIPTS_DIR, 'set-image.sh'), overlay(), image.repository, image.tag, image.digest],
    {
      encoding: 'utf8',
      env: { ...process.env, NODE_OPTIONS: `--require=${join(dir, 'preload.cjs')}` },
    },
  );
  t.equal(result.status, 0, result.stderr);
  t.notOk(existsSync(join(dir, 'ran')), 'the preload never ran');
});
