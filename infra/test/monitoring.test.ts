// The monitoring modules, in one test process (docs/development.md, "One process for many modules").
import './monitoring/alertmanager.js';
import './monitoring/alertmanager-heartbeat.js';
import './monitoring/monitoring-contract.js';
import './monitoring/prometheus-health.js';
