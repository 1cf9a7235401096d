// promote-image.sh (registry-side copy, digest kept or the promotion refused) against recording
// stand-ins for docker and aws (no registry here), and web-affected.sh on a real git repository
// with a stand-in for `nx show projects --affected`.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { SCRIPTS_DIR } from './workflows.js';

const DEV = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/zumo/web-dev';
const PROD = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/zumo/web-prod';
const DIGEST = `sha256:${'a'.repeat(64)}`;

/** docker and aws stand-ins: they log their arguments; describe-images answers from a file. */
function registry(t: Test, prodDigestAfterCopy: string, prodDigestBefore = 'None') {
  const dir = t.testdir({
    docker: `#!/bin/sh\necho "docker $*" >> "$(dirname "$0")/calls"\ncat > /dev/null 2>&1 || true\n[ "$2" = imagetools ] && echo '${prodDigestAfterCopy}' > "$(dirname "$0")/prod-digest"\nexit 0\n`,
    aws: `#!/bin/sh\necho "aws $*" >> "$(dirname "$0")/calls"\ncase "$*" in *describe-images*) cat "$(dirname "$0")/prod-digest";; *get-login-password*) echo token;; esac\n`,
    'prod-digest': `${prodDigestBefore}\n`,
  });
  chmodSync(join(dir, 'docker'), 0o755);
  chmodSync(join(dir, 'aws'), 0o755);
  const run = (...args: string[]) =>
    spawnSync('bash', [join(SCRIPTS_DIR, 'promote-image.sh'), ...args], {
      encoding: 'utf8',
      env: { ...process.env, DOCKER: join(dir, 'docker'), AWS: join(dir, 'aws') },
    });
  const calls = () => readFileSync(join(dir, 'calls'), 'utf8').trim().split('\n');
  return { run, calls };
}

t.test('promote-image: copies registry-side, never pulls, and checks the digest', async (t) => {
  const { run, calls } = registry(t, DIGEST);
  const result = run(DEV, PROD, 'abc1234', DIGEST);
  t.equal(result.status, 0, result.stderr);
  t.match(result.stdout, `${PROD}:abc1234 is ${DIGEST}, the image dev runs`);
  t.ok(
    calls().includes(`docker buildx imagetools create --tag ${PROD}:abc1234 ${DEV}@${DIGEST}`),
    'a carbon copy by digest',
  );
  t.notOk(
    calls().some((c) => /docker (pull|push|tag)/.test(c)),
    'no pull and push (layers could be re-compressed)',
  );
  t.equal(
    calls().filter((c) => c.startsWith('docker login')).length,
    1,
    'one login: both repositories share the registry',
  );
});

t.test('promote-image: refuses when the prod tag holds another digest', async (t) => {
  const changed = registry(t, `sha256:${'b'.repeat(64)}`);
  const result = changed.run(DEV, PROD, 'abc1234', DIGEST);
  t.equal(result.status, 1);
  t.match(result.stdout, /::error::.*is sha256:b+, dev ran sha256:a+: refusing to promote/);

  const existing = registry(t, DIGEST, `sha256:${'c'.repeat(64)}`);
  const again = existing.run(DEV, PROD, 'abc1234', DIGEST);
  t.equal(again.status, 1, 'an immutable tag that already holds another image is not overwritten');
  t.notOk(
    existing.calls().some((c) => c.includes('imagetools')),
    'and nothing is copied over it',
  );
});

t.test('promote-image: bad input is refused before any call', async (t) => {
  const { run } = registry(t, DIGEST);
  t.equal(run(DEV, PROD, 'abc1234', 'latest').status, 2);
  t.match(run(DEV, PROD, 'abc1234', 'latest').stderr, "'latest' is not an image digest");
  t.match(run(DEV, PROD, 'v1;rm -rf', DIGEST).stderr, 'is not a release tag');
});

t.test('web-affected: the base is the release dev runs', async (t) => {
  const dir = t.testdir({
    repo: {
      overlay: { 'kustomization.yaml': "images:\n  - name: web\n    newTag: 'placeholder'\n" },
      'web.txt': '1\n',
      'docs.txt': '1\n',
    },
    // Stand-in for `nx show projects --affected`: web when web.txt differs between base and head.
    nx: '#!/bin/sh\nbase="${4#--base=}"; head="${5#--head=}"\ngit diff --quiet "$base" "$head" -- web.txt || echo web\necho docs\n',
  });
  chmodSync(join(dir, 'nx'), 0o755);
  const repo = join(dir, 'repo');
  const git = (...args: string[]) =>
    execFileSync('git', args, {
      cwd: repo,
      encoding: 'utf8',
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: 't',
        GIT_AUTHOR_EMAIL: 't@t',
        GIT_COMMITTER_NAME: 't',
        GIT_COMMITTER_EMAIL: 't@t',
      },
    }).trim();
  const commit = (file: string, message: string) => {
    writeFileSync(join(repo, file), `${message}\n`);
    git('commit', '-qam', message);
    return git('rev-parse', 'HEAD');
  };
  git('init', '-q', '-b', 'main');
  git('add', '.');
  git('commit', '-qm', 'seed');
  const affected = (sha: string) =>
    spawnSync('bash', [join(SCRIPTS_DIR, 'web-affected.sh'), 'overlay', sha], {
      cwd: repo,
      encoding: 'utf8',
      env: { ...process.env, NX: join(dir, 'nx') },
    });
  const runs = (sha: string) => {
    writeFileSync(
      join(repo, 'overlay/kustomization.yaml'),
      `images:\n  - name: web\n    newTag: '${sha.slice(0, 7)}'\n`,
    );
    git('commit', '-qam', `release(dev): web ${sha.slice(0, 7)}`);
  };

  const first = git('rev-parse', 'HEAD');
  t.match(affected(first).stdout, 'web=true', 'no release yet: release');
  const webChange = commit('web.txt', 'web change');
  runs(webChange);
  const bump = git('rev-parse', 'HEAD');
  const bumpResult = affected(bump);
  t.match(bumpResult.stdout, 'web=false', 'the bump commit releases nothing');
  t.match(bumpResult.stderr, 'web unchanged since');
  const docs = commit('docs.txt', 'docs only');
  t.match(affected(docs).stdout, 'web=false', 'a change outside web releases nothing');
  const second = commit('web.txt', 'second web change');
  t.match(affected(second).stdout, 'web=true', 'a web change since the running release releases');
  runs(second);
  t.match(affected(webChange).stdout, 'web=false', 'an older commit than the running release releases nothing');
});
