#!/usr/bin/env node
// The `analog` command: runs the TypeScript CLI (cli/main.ts) through tsx, without a build step.
'use strict';
process.env.ANALOG_CLI_ENTRY = '1';
require('tsx/cjs/api').register();
require('../cli/main.ts');
