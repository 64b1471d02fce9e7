/**
 * Workflow histories as replay fixtures. Integration tests hand their finished runs here; with
 * RECORD_HISTORIES=1 the histories are written to `test/fixtures/histories/<name>.json` (commit them),
 * and `workflows/replay.test.ts` replays every file there against the current workflow code.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';

export const HISTORIES_DIR = path.join(__dirname, '../fixtures/histories');

/** Records every run of `workflowId` (all continue-as-new runs, oldest first) as `<name>[-runN].json`. */
export async function keepHistory(client: Client, workflowId: string, name: string): Promise<void> {
  if (process.env.RECORD_HISTORIES !== '1') return;
  fs.mkdirSync(HISTORIES_DIR, { recursive: true });
  const runs: string[] = [];
  for await (const execution of client.workflow.list({ query: `WorkflowId = "${workflowId}"` })) {
    runs.push(execution.runId);
  }
  // Visibility lists newest first; the first run is the one without a predecessor.
  runs.reverse();
  for (const [index, runId] of runs.entries()) {
    const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    const file = path.join(HISTORIES_DIR, runs.length > 1 ? `${name}-run${index + 1}.json` : `${name}.json`);
    fs.writeFileSync(file, historyToJSON(history));
  }
}
