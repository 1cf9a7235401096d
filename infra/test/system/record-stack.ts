/**
 * Runs the program for one stack under the mocks and writes what it declared (type, name,
 * inputs) as JSON to a file: the one-account check compares two stacks, and the program reads its
 * stack once per process. Usage: record-stack.ts <dev|prod> <out.json>
 */
import { writeFileSync } from 'node:fs';
import { installMocks } from '../mocks.js';
import { runProgram } from '../program-checks.js';

const [stack, out] = process.argv.slice(2) as ['dev' | 'prod', string];
const { recorded } = await runProgram(installMocks(stack));
writeFileSync(out, JSON.stringify(recorded.map(({ type, name, inputs }) => ({ type, name, inputs }))));
