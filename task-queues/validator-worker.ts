/** Worker for the `validator` queue: validates experiments before they run. */
import { config } from '../config/env';
import { logger } from '../config/logger';
import { createSystemActivities } from '../activities/system';
import { createValidatorActivities } from '../activities/experiment/validate-activity';
import { quotasFromSettings } from '../experiment-spec/quotas';
import { resilientStore } from '../persistence/connection';
import { runWorker } from './run-worker';
import { TASK_QUEUES } from '../contracts/queues';

const log = logger('worker', { queue: TASK_QUEUES.validator });
const store = resilientStore(config(), (err, delayMs) =>
  log.warn({ err: err.message }, `the document store is unreachable; retrying in ${delayMs / 1000} s`),
);

void runWorker({
  queue: TASK_QUEUES.validator,
  activities: {
    ...createSystemActivities(TASK_QUEUES.validator),
    ...createValidatorActivities({ connection: () => store.ready(), quotas: quotasFromSettings(config()) }),
  },
  workflows: false,
  maxConcurrentActivities: 16,
  cleanup: () => store.close(),
}).catch((err) => {
  console.error(err);
  process.exit(1);
});
