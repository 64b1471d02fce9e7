/**
 * Replays the recorded experiment-workflow histories (test/fixtures/histories, recorded from the
 * integration tests with RECORD_HISTORIES=1) against the current workflow code: a change that would
 * break running workflows fails here with a nondeterminism error.
 */
import fs from 'node:fs';
import path from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { HISTORIES_DIR } from '../test/helpers/histories';

try {
  Runtime.install({ logger: new DefaultLogger('WARN') });
} catch {
  // already installed
}

const files = fs.existsSync(HISTORIES_DIR)
  ? fs
      .readdirSync(HISTORIES_DIR)
      .filter((f) => f.endsWith('.json'))
      .sort()
  : [];

describe('workflow replay', () => {
  it('has recorded histories to replay', () => {
    // The set the issue asks for: training, inference (cpu and imc), pause/resume, cancel, crash,
    // continue-as-new and an invalid experiment; each records at least one file.
    expect(files.length).toBeGreaterThanOrEqual(6);
  });

  it('replays every recorded history without nondeterminism errors', async () => {
    const histories = files.map((file) => ({
      workflowId: path.basename(file, '.json'),
      history: historyFromJSON(JSON.parse(fs.readFileSync(path.join(HISTORIES_DIR, file), 'utf8'))),
    }));
    const failures: string[] = [];
    for await (const result of Worker.runReplayHistories(
      { workflowsPath: require.resolve('./index'), replayName: 'fixtures' },
      histories,
    )) {
      if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
    }
    expect(failures).toEqual([]);
  }, 120_000);
});
