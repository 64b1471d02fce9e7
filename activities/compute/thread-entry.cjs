/* eslint-disable @typescript-eslint/no-require-imports */
'use strict';
/*
 * Entry point of every compute thread. A worker thread has no TypeScript loader of its own when its
 * parent got one from jest's transform, and `--import tsx` (how `npm start` runs workers) is only
 * inherited through execArgv: registering tsx's CommonJS hook here makes both cases load our .ts
 * sources the same way.
 */
const { workerData } = require('node:worker_threads');
require('tsx/cjs/api').register();
const { serveComputeJobs } = require('./thread-runtime.ts');
const mod = require(workerData.module);
serveComputeJobs(mod.computeModule ?? mod.default ?? mod);
