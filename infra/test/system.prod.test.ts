// The whole declared system of stack prod, as it stands once the web app has a release.
import t from 'tap';
import { ResourceGraph } from './system/graph.js';
import { releasedProgram } from './ci/declared.js';
import { checkWholeSystem } from './system/checks.js';

const { recorded } = releasedProgram('prod');
checkWholeSystem(t, new ResourceGraph(recorded), 'prod');
