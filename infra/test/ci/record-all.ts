/**
 * The test runner's `before` step (infra/package.json "tap"): records every configuration the
 * tests read (declared-variants.ts) into the shared cache (declared-cache.ts), as many at once as
 * the machine has cores, so each test file only reads JSON.
 */
import { availableParallelism } from 'node:os';
import { recordAll } from './declared-cache.js';
import { BOOTSTRAP_VARIANTS, PROGRAM_VARIANTS } from './declared-variants.js';

await recordAll(
  [
    ...PROGRAM_VARIANTS.map(([stack, overrides, release]): [string, ...string[]] => [
      'record-program.ts',
      stack,
      JSON.stringify(overrides),
      release,
    ]),
    ...BOOTSTRAP_VARIANTS.map((overrides): [string, ...string[]] => [
      'declared-bootstrap.ts',
      JSON.stringify(overrides),
    ]),
  ],
  availableParallelism(),
);
