/**
 * Records what the program declares for one stack under the mocks: every resource as registered
 * (inputs, computed state, graph fields), every output and every provider function it called.
 * Its own process (the program reads its stack on import); declared-cache.ts runs it:
 *   node <loader args> record-program.ts dev '{"zumo:waf":true}' <out.json>
 */
import { writeFileSync } from 'node:fs';
import { installMocks, invokedCalls } from '../mocks.js';
import { runProgram } from '../run-program.js';

const [stack, overrides, out] = process.argv.slice(2);
if ((stack !== 'dev' && stack !== 'prod') || !out)
  throw new Error(
    `usage: record-program.ts dev|prod <overrides JSON> <out.json> (got ${process.argv.slice(2).join(' ')})`,
  );
const { recorded, outputs } = await runProgram(
  installMocks(stack, JSON.parse(overrides ?? '{}') as Record<string, unknown>),
);
const invokes = [...invokedCalls.values()].sort((a, b) =>
  `${a.token} ${a.resource}`.localeCompare(`${b.token} ${b.resource}`),
);
writeFileSync(out, JSON.stringify({ recorded, outputs, invokes }));
