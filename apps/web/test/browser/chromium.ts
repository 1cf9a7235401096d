import { existsSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { WEB_ROOT } from '../helper.js';

// Debian's chromium here and in .ci/run; GitHub's runners set CHROMIUM_PATH to their preinstalled Chrome.
export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
export const ARTIFACTS = join(WEB_ROOT, 'test-artifacts');

/** Why the browser tests cannot run here (a printed skip reason), or false. In CI a missing
 * browser is a failure (the run must install it). */
export function chromiumMissing(): string | false {
  const missing = existsSync(CHROMIUM)
    ? false
    : `Chromium is not installed at ${CHROMIUM} (apt-get install -y chromium)`;
  if (missing && process.env['CI']) t.fail(missing);
  return missing;
}
