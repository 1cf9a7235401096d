// The scripts modules, in one test process (docs/development.md, "One process for many modules").
import './scripts/drift-exclusion.js';
import './scripts/github-scripts.js';
import './scripts/promote-image.js';
import './scripts/promotion-scripts.js';
import './scripts/release-image.js';
import './scripts/release-scripts.js';
import './scripts/rulesets.js';
import './scripts/set-image.js';
