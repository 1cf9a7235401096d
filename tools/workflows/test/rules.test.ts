// The rules modules, in one test process (docs/development.md, "One process for many modules").
import './rules/actionlint.js';
import './rules/delivery-settings.js';
import './rules/install-pulumi.js';
import './rules/least-privilege.js';
import './rules/release-names.js';
import './rules/release-order.js';
import './rules/runner-gates.js';
import './rules/scheduling.js';
import './rules/supply-chain.js';
import './rules/workflow-wiring.js';
