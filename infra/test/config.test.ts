// The config modules, in one test process (docs/development.md, "One process for many modules").
import './config/availability-zones.js';
import './config/database.js';
import './config/github-connection.js';
import './config/prerequisites.js';
import './config/project-file.js';
import './config/stack-config.js';
import './config/web-release.js';
