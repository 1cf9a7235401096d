// The hostile modules, in one test process (docs/development.md, "One process for many modules").
import './hostile/heads-and-text.js';
import './hostile/properties.js';
