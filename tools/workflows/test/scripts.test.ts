// The scripts modules, in one test process (docs/development.md, "One process for many modules").
import t from 'tap';
import './scripts/drift-exclusion.js';
import './scripts/github-scripts.js';
import './scripts/promote-image.js';
import './scripts/promotion-scripts.js';
import './scripts/release-image.js';
import './scripts/release-scripts.js';
import './scripts/rulesets.js';
import './scripts/set-image.js';

// Eight modules that run the scripts with git, jq and stand-ins: 43 s with a second npm test beside
// this one on a fast host, so twice the project's 120 s limit (tap's root timeout is per process).
t.setTimeout(240_000);
