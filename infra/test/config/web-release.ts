// The release gate of the web Application (config/web-release.ts): created only for an overlay CI
// has written for this stack's registry, never for the placeholder or another account's image.
import t from 'tap';
import { readWebOverlay, releasedImage } from '../../src/config/web-release.js';
import { releasedOverlay } from '../system/released.js';

const ours = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/zumo/web-dev';

t.test('the committed overlays hold the placeholder: no web Application yet', async (t) => {
  for (const environment of ['dev', 'prod']) {
    const gate = releasedImage(readWebOverlay(environment), ours.replace('-dev', `-${environment}`));
    t.notOk(gate.release, environment);
    t.match(gate.reason, /no release yet/);
  }
});

t.test('a release CI wrote for this registry opens the gate', async (t) => {
  t.same(releasedImage(releasedOverlay('dev'), ours).release, {
    repository: ours,
    tag: 'abc1234',
    digest: `sha256:${'a'.repeat(64)}`,
  });
});

t.test('a release in another registry (a fork, another account or stack) does not', async (t) => {
  const forkOf = releasedOverlay('dev').replace('123456789012', '210987654321');
  t.match(releasedImage(forkOf, ours).reason, /in 210987654321\.dkr\.ecr.*not in this stack's registry/);
  t.match(releasedImage(releasedOverlay('prod'), ours).reason, /web-prod, not in this stack's registry/);
});

t.test('an overlay without the images entry says so', async (t) => {
  t.match(releasedImage('resources: [../../base]\n', ours).reason, /no images entry for zumo\/web/);
});
