// The plugins modules, in one test process (docs/development.md, "One process for many modules").
import './plugins/client-address.js';
import './plugins/metrics.js';
import './plugins/security-and-logging.js';
