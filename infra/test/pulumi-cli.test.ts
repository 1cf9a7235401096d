// The pulumi-cli modules, in one test process (docs/development.md, "One process for many modules").
import './pulumi-cli/port.js';
import './pulumi-cli/rules.js';
