#!/bin/sh
# The service's production start command: the image's CMD and `npm start` run this file, and
# nothing else repeats it. The V8 flags are MEMORY_BUDGET's (packages/config: maxSemiSpaceMiB,
# maxOldSpaceMiB); test/container/start-command.ts runs this file and checks them.
# `exec`: node replaces the shell, so it is PID 1 in the container and receives SIGTERM itself.
cd "$(dirname "$0")/.." || exit 1
exec node --max-semi-space-size=2 --max-old-space-size=160 --import ./dist/instrument.js ./dist/server.js
