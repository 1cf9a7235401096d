/**
 * Runs the program as it is once the web app has a release: the overlay read by
 * config/web-release.ts holds CI's images entry for this stack's registry. The whole-system checks
 * need the web Application, which the program only declares then.
 */
import type { Test } from 'tap';
import { ACCOUNT, type Registered } from '../mocks.js';
import { runProgram } from '../run-program.js';
import type * as Index from '../../src/index.js';

export function releasedOverlay(stack: 'dev' | 'prod') {
  return `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - ../../base
images:
  - name: zumo/web
    newName: ${ACCOUNT}.dkr.ecr.eu-west-1.amazonaws.com/zumo/web-${stack}
    newTag: 'abc1234'
    digest: sha256:${'a'.repeat(64)}
`;
}

/** Runs the program with `t`'s module mocks standing in the released overlay (ci/record-program.ts). */
export async function runReleasedProgram(t: Test, mocks: Promise<Registered[]>, stack: 'dev' | 'prod') {
  const actual = await import('../../src/config/web-release.js');
  return runProgram(mocks, () =>
    t.mockImport<typeof Index>('../../src/index.js', {
      '../../src/config/web-release.js': { ...actual, readWebOverlay: () => releasedOverlay(stack) },
    }),
  );
}
