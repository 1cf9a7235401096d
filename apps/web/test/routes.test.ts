// The routes modules, in one test process (docs/development.md, "One process for many modules").
import './routes/bad-input.js';
import './routes/body-encoding.js';
import './routes/content-type-parameters.js';
import './routes/errors.js';
import './routes/framework-errors.js';
import './routes/invisible-text.js';
import './routes/no-echo.js';
import './routes/number-spellings.js';
import './routes/pipelined-answers.js';
import './routes/requests-node-would-answer.js';
import './routes/static.js';
import './routes/text-rules.js';
import './routes/api/info.js';
import './routes/api/messages.js';
