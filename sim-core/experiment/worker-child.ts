/**
 * Test helper: a TrainingSession inside a worker thread (as the activities run it). Trains until the
 * parent posts "abort", posting progress; then posts its position and a checkpoint.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { initBackend } from '../backend/backend';
import type { TrainingSessionOptionsInput } from './options';
import { TrainingSession } from './training-session';

async function main(): Promise<void> {
  if (!parentPort) throw new Error('worker-child must run in a worker thread');
  const port = parentPort;
  await initBackend({ backends: ['wasm', 'cpu'] });
  const session = await TrainingSession.create(workerData as TrainingSessionOptionsInput);
  const controller = new AbortController();
  port.on('message', (m) => m === 'abort' && controller.abort());
  while (!controller.signal.aborted && !session.position.finished) {
    await session.trainBatches(1000, {
      signal: controller.signal,
      onProgress: (p) => port.postMessage({ progress: p }),
    });
  }
  const checkpoint = session.checkpoint();
  port.postMessage({ position: session.position, checkpoint }, [checkpoint.buffer as ArrayBuffer]);
  session.dispose();
}

main().catch((error: unknown) => {
  parentPort?.postMessage({ error: String(error) });
});
