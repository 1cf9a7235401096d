import { readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import t from 'tap';
import { parse } from 'yaml';
import { bumpImage, bumpKustomization, readKustomizationImage } from '../src/bump-image.js';

const fixture = readFileSync(join(import.meta.dirname, 'fixtures/kustomization.yaml'), 'utf8');
const image = {
  repository: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/zumo/web-dev',
  tag: '1234567',
  digest: `sha256:${'ab'.repeat(32)}`,
};

t.test('sets repository, tag, digest and the version label, keeping comments and layout', async (t) => {
  const bumped = bumpKustomization(fixture, image);
  const parsed = parse(bumped);
  t.same(parsed.images, [{ name: 'zumo/web', newName: image.repository, newTag: '1234567', digest: image.digest }]);
  t.equal(parsed.labels[0].pairs['app.kubernetes.io/version'], '1234567', 'RELEASE follows the tag');
  t.equal(typeof parsed.images[0].newTag, 'string', 'an all-digit SHA stays a string');
  t.match(bumped, '# The release: written by tools/bump-image (CI), never by hand.', 'comments survive');
  t.match(bumped, '- name: zumo/web # the name the base uses', 'inline comments survive');
  const untouched = (text: string) => text.split('\n').filter((l) => !/newTag|digest|version/.test(l));
  t.same(untouched(bumped).slice(0, 9), untouched(fixture).slice(0, 9), 'other lines are unchanged');
});

t.test('is idempotent', async (t) => {
  const once = bumpKustomization(fixture, image);
  t.equal(bumpKustomization(once, image), once, 'a second bump with the same image changes nothing');
  const dir = t.testdir({ 'kustomization.yaml': fixture });
  const path = join(dir, 'kustomization.yaml');
  t.equal(await bumpImage(path, image), true, 'first run writes');
  const written = readFileSync(path, 'utf8');
  t.equal(await bumpImage(path, image), false, 'second run reports unchanged');
  t.equal(readFileSync(path, 'utf8'), written);
});

t.test('refuses malformed input with a clear reason', async (t) => {
  const cases: [Partial<typeof image>, RegExp][] = [
    [{ tag: 'latest' }, /tag "latest" is not a git SHA/],
    [{ tag: 'ABCDEF1' }, /tag "ABCDEF1" is not a git SHA/],
    [{ digest: 'sha256:xyz' }, /digest "sha256:xyz" is not sha256: followed by 64 hex/],
    [{ digest: 'md5:abc' }, /digest/],
    [{ repository: 'not a repo' }, /repository "not a repo" is not <registry>\/<repository>/],
  ];
  for (const [change, message] of cases) {
    t.throws(
      () => bumpKustomization(fixture, { ...image, ...change }),
      { name: 'BumpError', message },
      JSON.stringify(change),
    );
  }
  t.throws(
    () => bumpKustomization('images: [', image),
    { name: 'BumpError', message: /not valid YAML/ },
    'broken YAML',
  );
  t.throws(
    () => bumpKustomization(fixture.replace('zumo/web #', 'other/app #'), image),
    /no images entry named zumo\/web/,
  );
});

t.test('the bumped overlay renders with kustomize to the pinned image', async (t) => {
  const dir = t.testdir({
    base: {
      'kustomization.yaml': 'resources: [deployment.yaml]\n',
      'deployment.yaml':
        'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec: {containers: [{name: web, image: zumo/web}]}\n',
    },
    overlay: { 'kustomization.yaml': fixture.replace('../../base', '../base') },
  });
  await bumpImage(join(dir, 'overlay/kustomization.yaml'), image);
  const rendered = parse(execFileSync('kubectl', ['kustomize', join(dir, 'overlay')], { encoding: 'utf8' }));
  t.equal(
    rendered.spec.template.spec.containers[0].image,
    `${image.repository}:${image.tag}@${image.digest}`,
    'tag for people, digest pins the bytes',
  );
  t.equal(rendered.spec.template.metadata.labels['app.kubernetes.io/version'], '1234567');
});

t.test('CLI: exit 2 with the reason on bad input', async (t) => {
  const dir = t.testdir({ 'kustomization.yaml': fixture });
  writeFileSync(join(dir, 'kustomization.yaml'), fixture);
  const cli = join(import.meta.dirname, '../src/bump-image-cli.ts');
  try {
    execFileSync(
      process.execPath,
      [
        ...process.execArgv,
        cli,
        '--overlay',
        dir,
        '--repository',
        image.repository,
        '--tag',
        'latest',
        '--digest',
        image.digest,
      ],
      { encoding: 'utf8', stdio: 'pipe' },
    );
    t.fail('should have failed');
  } catch (err) {
    const e = err as { status: number; stderr: string };
    t.equal(e.status, 2);
    t.match(e.stderr, /bump-image: refusing to bump: tag "latest"/);
  }
});

t.test('reads the image an overlay runs (promotion), refusing placeholders', async (t) => {
  t.same(readKustomizationImage(bumpKustomization(fixture, image)), image, 'what a bump wrote reads back');
  t.throws(() => readKustomizationImage(fixture), /has no digest/, 'a never-released overlay cannot be promoted');
  t.throws(
    () => readKustomizationImage(bumpKustomization(fixture, image).replace("newTag: '1234567'", "newTag: 'latest'")),
    /tag "latest" is not a git SHA/,
  );
});

t.test('CLI --print writes GITHUB_OUTPUT lines', async (t) => {
  const dir = t.testdir({ 'kustomization.yaml': bumpKustomization(fixture, image) });
  const cli = join(import.meta.dirname, '../src/bump-image-cli.ts');
  const out = execFileSync(process.execPath, [...process.execArgv, cli, '--overlay', dir, '--print'], {
    encoding: 'utf8',
  });
  t.equal(out, `repository=${image.repository}\ntag=${image.tag}\ndigest=${image.digest}\n`);
});
