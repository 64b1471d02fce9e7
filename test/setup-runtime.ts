/** Keeps the Temporal SDK's own log lines (worker state changes, bundling) out of test output. */
import { DefaultLogger, Runtime } from '@temporalio/worker';

try {
  Runtime.install({ logger: new DefaultLogger('WARN') });
} catch {
  // already installed in this process
}
