import * as pulumi from '@pulumi/pulumi';
import { settle, type Registered } from './mocks.js';
import type * as Index from '../src/index.js';

type Program = typeof Index;

/**
 * Runs the whole program under mocks for one stack and returns what it declared and every output
 * it exports, resolved. `load` imports it (a test may import it with some modules mocked, e.g. a
 * released overlay). Most tests read this through the recording cache (ci/declared.ts).
 */
export async function runProgram(
  recordedPromise: Promise<Registered[]>,
  load: () => Promise<Program> = () => import('../src/index.js'),
) {
  const recorded = await recordedPromise;
  // Inside a root stack, as the engine runs a program (stack transformations need one).
  let program!: Program;
  await pulumi.runtime.runInPulumiStack(async () => {
    program = await load();
  });
  const outputs: Record<string, any> = {};
  for (const [key, value] of Object.entries(program))
    outputs[key] = await new Promise((resolve) => pulumi.output(value as pulumi.Input<object>).apply(resolve));
  await settle();
  return { recorded, outputs };
}
