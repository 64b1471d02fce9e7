/**
 * A supervised child (worker, API) exits when its supervisor is gone: if `npm start` is killed hard,
 * its children must not live on as orphans. Active only under the supervisor (ANALOG_SUPERVISED=1).
 */
export function exitWhenOrphaned(onOrphaned: () => void, intervalMs = 2000): void {
  if (process.env.ANALOG_SUPERVISED !== '1') return;
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid !== parent) {
      clearInterval(timer);
      onOrphaned();
    }
  }, intervalMs);
  timer.unref();
}
