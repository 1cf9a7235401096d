// promote-image.sh against a registry stand-in that behaves as `docker buildx imagetools create`
// does (fake-registry.mjs): one single-manifest source is wrapped in a new index unless
// --prefer-index=false, and prod tags are immutable, so a wrong copy would leave a permanent prod
// tag with another digest. The promotion must copy the manifest as it is, or push nothing.
import t from 'tap';
import { DEV, PROD, registry } from '../fake-registry.js';

t.test('promote-image: a carbon copy of the single manifest release pushed, same digest', async (t) => {
  const r = registry(t);
  const digest = r.seed(DEV, 'abc1234');
  const result = r.run('promote-image.sh', [DEV, PROD, 'abc1234', digest]);
  t.equal(result.status, 0, result.stderr);
  t.equal(r.tagged(PROD, 'abc1234'), digest, 'prod:abc1234 is the very manifest dev runs');
  t.match(result.stdout, `${PROD}:abc1234 is ${digest}, the image dev runs`);
  const copies = r.calls().filter((c) => c.includes('imagetools create'));
  t.ok(copies[0]?.includes('--dry-run'), 'a dry run first');
  t.ok(
    copies.every((c) => c.includes('--prefer-index=false')),
    'never wrapped in a new index',
  );
  t.notOk(
    r.calls().some((c) => /docker (pull|push|tag)/.test(c)),
    'no pull and push (layers could be re-compressed)',
  );
  t.equal(r.calls().filter((c) => c.startsWith('docker login')).length, 1, 'one login: one registry host');

  const again = r.run('promote-image.sh', [DEV, PROD, 'abc1234', digest]);
  t.equal(again.status, 0, 'a rerun finds the copy and accepts it');
  t.equal(r.calls().filter((c) => c.includes('imagetools create')).length, 2, 'and copies nothing again');
});

t.test('promote-image: when the copy would change the digest, nothing is pushed', async (t) => {
  // A buildx that wraps whatever it is told (an index around the manifest): the dry run shows it.
  const r = registry(t, { FAKE_BUILDX_ALWAYS_INDEX: '1' });
  const digest = r.seed(DEV, 'abc1234');
  const result = r.run('promote-image.sh', [DEV, PROD, 'abc1234', digest]);
  t.equal(result.status, 1);
  t.match(
    result.stdout,
    /::error::the copy of .* would be sha256:[0-9a-f]{64}, not sha256:[0-9a-f]{64}: nothing pushed/,
  );
  t.equal(r.tagged(PROD, 'abc1234'), undefined, 'no prod tag left behind (it could never be replaced)');
});

t.test('promote-image: an existing prod tag is only checked, never overwritten', async (t) => {
  const r = registry(t);
  const digest = r.seed(DEV, 'abc1234');
  const other = r.seed(PROD, 'abc1234', 'pushed by someone else');
  const result = r.run('promote-image.sh', [DEV, PROD, 'abc1234', digest]);
  t.equal(result.status, 1);
  t.match(result.stdout, `::error::${PROD}:abc1234 is ${other}, dev ran ${digest}: refusing to promote`);
  t.notOk(
    r.calls().some((c) => c.includes('imagetools')),
    'nothing is copied over it',
  );
});

t.test('promote-image: bad input is refused before any call', async (t) => {
  const r = registry(t);
  const digest = r.seed(DEV, 'abc1234');
  const notDigest = r.run('promote-image.sh', [DEV, PROD, 'abc1234', 'latest']);
  t.equal(notDigest.status, 2);
  t.match(notDigest.stderr, "'latest' is not an image digest");
  t.match(r.run('promote-image.sh', [DEV, PROD, 'v1;rm -rf', digest]).stderr, 'is not a release tag');
  t.same(r.calls(), [], 'no registry call');
});
