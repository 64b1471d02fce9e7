/**
 * Test helper run as a separate process: restore a training session from a checkpoint file, train the
 * given number of batches, and write the exported weights (as one Float32Array per layer) to a file.
 * Usage: node --import tsx resume-child.ts <options.json> <checkpoint.bin> <batches> <out.bin>
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { initBackend } from '../backend/backend';
import { TrainingSession } from './training-session';

async function main(): Promise<void> {
  const [optionsPath, checkpointPath, batches, outPath] = process.argv.slice(2);
  await initBackend({ backends: ['wasm', 'cpu'] });
  const options = JSON.parse(readFileSync(optionsPath, 'utf8')) as unknown;
  const session = await TrainingSession.restore(
    options as Parameters<typeof TrainingSession.restore>[0],
    new Uint8Array(readFileSync(checkpointPath)),
  );
  let left = Number(batches);
  while (left > 0) left -= (await session.trainBatches(left)).batches;
  const parts = session.exportWeights().layers.flatMap((l) => [l.weights, l.bias ?? new Float32Array(0)]);
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Float32Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  writeFileSync(outPath, Buffer.from(out.buffer));
  session.dispose();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
