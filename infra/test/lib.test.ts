// The lib modules, in one test process (docs/development.md, "One process for many modules").
import './lib/cluster-facts.js';
import './lib/iam.js';
import './lib/network-plan.js';
import './lib/network-policy-model.js';
