/**
 * The environment integration tests run in: the embedded servers on test ports, so a running
 * `npm start` (default ports) is never touched. Applied by the global setup and inherited by every
 * test process.
 */
export const TEST_ENV: Record<string, string> = {
  NODE_ENV: 'test',
  LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
  LOG_PRETTY: 'false',
  TEMPORAL_PORT: process.env.TEST_TEMPORAL_PORT ?? '17233',
  TEMPORAL_UI_PORT: '18233',
  FERRETDB_PORT: process.env.TEST_FERRETDB_PORT ?? '37017',
  MONGODB_DATABASE: 'analog_composer_test',
  JWT_SECRET: 'test-secret-only-for-the-test-suite-0123456789',
};
