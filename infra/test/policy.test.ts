// The policy modules, in one test process (docs/development.md, "One process for many modules").
import './policy/rules.js';
import './policy/stacks-dev.js';
import './policy/stacks-prod.js';
