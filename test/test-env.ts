/**
 * Shifts every fixed test port by this much (`TEST_PORT_OFFSET`), so that several checkouts on one
 * machine can run their suites at the same time without sharing servers.
 */
export const TEST_PORT_OFFSET = Number(process.env.TEST_PORT_OFFSET ?? 0);

/** A fixed test port, shifted by `TEST_PORT_OFFSET`. */
export const testPort = (port: number): number => port + TEST_PORT_OFFSET;

/**
 * The environment integration tests run in: the embedded servers on test ports, so a running
 * `npm start` (default ports) is never touched. Applied by the global setup and inherited by every
 * test process.
 */
export const TEST_ENV: Record<string, string> = {
  NODE_ENV: 'test',
  LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
  LOG_PRETTY: 'false',
  TEMPORAL_PORT: process.env.TEST_TEMPORAL_PORT ?? String(testPort(17233)),
  TEMPORAL_UI_PORT: String(testPort(18233)),
  FERRETDB_PORT: process.env.TEST_FERRETDB_PORT ?? String(testPort(37017)),
  MONGODB_DATABASE: 'analog_composer_test',
  JWT_SECRET: 'test-secret-only-for-the-test-suite-0123456789',
};
