#!/usr/bin/env node
/**
 * Usage: node tools/test-command/ensure-tools.mjs <test|bench>
 * Makes sure the system tools of that set are usable (installing Debian packages as root when
 * missing), else prints one message naming each missing tool and how to install it, and exits 1.
 */
import { BENCH_TOOLS, TEST_TOOLS, ensureTools } from './system-tools.mjs';

const sets = { test: TEST_TOOLS, bench: BENCH_TOOLS };
const tools = sets[/** @type {keyof typeof sets} */ (process.argv[2] ?? '')];
if (!tools) {
  console.error(`usage: ensure-tools.mjs <${Object.keys(sets).join('|')}>`);
  process.exit(2);
}
const result = ensureTools(tools);
if (!result.ok) {
  console.error(result.message);
  process.exit(1);
}
