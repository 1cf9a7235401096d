// The container modules, in one test process (docs/development.md, "One process for many modules").
import './container/dockerfile.js';
import './container/memory-budget.js';
import './container/start-command.js';
