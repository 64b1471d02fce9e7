/**
 * Day-one round trips through the real embedded servers: a workflow whose activity runs on the cpu
 * queue, and a document written and read back through mongoose.
 */
import { randomUUID } from 'node:crypto';
import { Schema } from 'mongoose';
import { loadConfig } from '../../config/env';
import { connectStore } from '../../persistence/connection';
import { createSystemActivities } from '../../activities/system';
import { TASK_QUEUES } from '../../contracts/queues';
import { pingWorkflow } from '../../workflows';
import { testClient, testWorker } from '../helpers/temporal';

describe('Temporal round trip', () => {
  it('starts a workflow whose activity runs on the cpu queue and returns its result', async () => {
    const { client, close } = await testClient();
    const { worker, close: closeWorker } = await testWorker({
      taskQueue: TASK_QUEUES.cpu,
      workflowsPath: require.resolve('../../workflows'),
      activities: createSystemActivities(TASK_QUEUES.cpu),
    });
    try {
      const result = await worker.runUntil(
        client.workflow.execute(pingWorkflow, {
          taskQueue: TASK_QUEUES.cpu,
          workflowId: `ping-${randomUUID()}`,
          args: ['hello', TASK_QUEUES.cpu],
        }),
      );
      expect(result).toBe(`pong: hello (queue cpu, worker pid ${process.pid}, attempt 1)`);
    } finally {
      await closeWorker();
      await close();
    }
  });
});

describe('mongoose round trip', () => {
  it('writes a document to the store and reads it back unchanged', async () => {
    const connection = await connectStore(loadConfig());
    try {
      const Probe = connection.model(
        'RoundTripProbe',
        new Schema({ name: String, values: [Number], blob: Buffer, at: Date }),
      );
      const at = new Date('2026-01-02T03:04:05.678Z');
      const created = await Probe.create({
        name: 'probe',
        values: [1.5, -2, 3e-7],
        blob: Buffer.from([0, 255, 7]),
        at,
      });
      const found = await Probe.findById(created._id).lean();
      expect(found).toMatchObject({ name: 'probe', values: [1.5, -2, 3e-7], at });
      expect(Buffer.from(found!.blob!.buffer)).toEqual(Buffer.from([0, 255, 7]));
      await Probe.deleteOne({ _id: created._id });
      expect(await Probe.countDocuments({ _id: created._id })).toBe(0);
    } finally {
      await connection.close();
    }
  });
});
