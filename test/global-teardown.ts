export default async function globalTeardown(): Promise<void> {
  await globalThis.__ANALOG_TEST_INFRA__?.stop();
}
