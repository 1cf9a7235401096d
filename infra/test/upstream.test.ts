// The upstream modules, in one test process (docs/development.md, "One process for many modules").
import './upstream/files.js';
import './upstream/values.js';
