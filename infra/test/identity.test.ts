// The identity modules, in one test process (docs/development.md, "One process for many modules").
import './identity/must-never.js';
import './identity/must-never-created-roles.js';
import './identity/permissions.js';
import './identity/sizes.js';
import './identity/trust.js';
