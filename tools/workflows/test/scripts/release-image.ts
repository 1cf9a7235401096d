// release-image.sh against the registry stand-in (fake-registry.mjs, immutable tags): a release
// builds and pushes its own image, and reuses an existing tag only when this very run pushed it.
// A compromised dependency in an earlier run's build holds the same role and can push the tag of
// a commit already on main but not yet released: that image must never ship under its name.
import t from 'tap';
import { DEV, registry } from '../fake-registry.js';

const COMMIT = 'abc1234def5678abc1234def5678abc1234def56';
const minutesAgo = (n: number) => new Date(Date.now() - n * 60_000).toISOString();

t.test('release-image: builds and pushes the commit, prints its digest', async (t) => {
  const r = registry(t);
  const result = r.run('release-image.sh', [DEV, COMMIT], { RUN_ATTEMPT: '1' });
  t.equal(result.status, 0, result.stderr);
  const digest = r.tagged(DEV, 'abc1234');
  t.match(digest, /^sha256:[0-9a-f]{64}$/);
  t.equal(result.stdout, `digest=${digest}\n`, 'only the output line on stdout');
  t.ok(
    r.calls().some((c) => /docker buildx build .*--tag \S+:abc1234 --provenance=false .*--push/.test(c)),
    'one single-platform manifest, tagged with the short SHA',
  );
});

t.test('release-image: a tag this run did not push is refused, on the first attempt and on a rerun', async (t) => {
  const r = registry(t);
  const planted = r.seed(DEV, 'abc1234', 'pushed by an earlier run');
  const first = r.run('release-image.sh', [DEV, COMMIT], { RUN_ATTEMPT: '1' });
  t.equal(first.status, 1);
  t.match(first.stderr, `::error::${DEV}:abc1234 (${planted}) existed before this release pushed it`);
  t.equal(first.stdout, '', 'no digest for the bump');
  // Someone clicks "Re-run": the planted tag is older than this run's first attempt.
  const rerun = r.run('release-image.sh', [DEV, COMMIT], { RUN_ATTEMPT: '2', FIRST_ATTEMPT_STARTED: minutesAgo(-1) });
  t.equal(rerun.status, 1);
  t.match(rerun.stderr, /was pushed at .*, before this run's first attempt started/);
  const unknown = r.run('release-image.sh', [DEV, COMMIT], { RUN_ATTEMPT: '2' });
  t.equal(unknown.status, 1, 'a rerun that cannot tell when its first attempt started refuses too');
  t.notOk(
    r.calls().some((c) => c.includes('buildx build')),
    'and nothing is built over it',
  );
});

t.test('release-image: a rerun reuses the image its first attempt pushed', async (t) => {
  const r = registry(t);
  const started = minutesAgo(5);
  t.equal(r.run('release-image.sh', [DEV, COMMIT], { RUN_ATTEMPT: '1' }).status, 0);
  const pushed = r.tagged(DEV, 'abc1234');
  const rerun = r.run('release-image.sh', [DEV, COMMIT], { RUN_ATTEMPT: '2', FIRST_ATTEMPT_STARTED: started });
  t.equal(rerun.status, 0, rerun.stderr);
  t.equal(rerun.stdout, `digest=${pushed}\n`);
  t.equal(r.calls().filter((c) => c.includes('buildx build')).length, 1, 'built once');
});

t.test('release-image: bad input is refused before any call', async (t) => {
  const r = registry(t);
  t.equal(r.run('release-image.sh', [DEV, 'abc1234'], { RUN_ATTEMPT: '1' }).status, 2, 'a short SHA');
  const noAttempt = r.run('release-image.sh', [DEV, COMMIT], { RUN_ATTEMPT: '' });
  t.equal(noAttempt.status, 2);
  t.match(noAttempt.stderr, "RUN_ATTEMPT '' is not a run attempt");
  t.same(r.calls(), []);
});
