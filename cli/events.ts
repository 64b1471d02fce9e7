/**
 * Reads an experiment's Server-Sent Events (`status`, `progress`, `end`). A dropped connection is
 * reopened (the server sends the current status and progress again on connect) a few times with a
 * growing pause before giving up.
 */
import type { ApiClient } from './api-client';
import { ApiCallError } from './api-client';
import { CliError } from './errors';

export interface ExperimentEvent {
  event: string;
  data: unknown;
}

function* parseBlocks(buffer: { text: string }): Generator<ExperimentEvent> {
  let split: number;
  while ((split = buffer.text.indexOf('\n\n')) >= 0) {
    const block = buffer.text.slice(0, split);
    buffer.text = buffer.text.slice(split + 2);
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) continue;
      const at = line.indexOf(':');
      const field = at < 0 ? line : line.slice(0, at);
      const value = at < 0 ? '' : line.slice(at + 1).replace(/^ /, '');
      if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
    }
    if (data.length === 0) continue;
    try {
      yield { event, data: JSON.parse(data.join('\n')) as unknown };
    } catch {
      // a line we cannot read is skipped; the next status or progress event carries the state again
    }
  }
}

/** Calls `onEvent` for each event until the server sends `end`; returns the `end` event's data. */
export async function followExperiment(
  client: ApiClient,
  id: string,
  onEvent: (event: ExperimentEvent) => void,
  { maxReconnects = 5 }: { maxReconnects?: number } = {},
): Promise<unknown> {
  let failures = 0;
  for (;;) {
    try {
      const response = await client.raw('GET', `/api/v1/experiments/${encodeURIComponent(id)}/events`, {
        accept: 'text/event-stream',
        stream: true,
      });
      if (!response.body) throw new CliError('the API sent no event stream');
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      const buffer = { text: '' };
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        failures = 0;
        buffer.text += decoder.decode(value, { stream: true }).replace(/\r\n?/g, '\n');
        for (const event of parseBlocks(buffer)) {
          if (event.event === 'end') return event.data;
          onEvent(event);
        }
      }
    } catch (err) {
      // The API's own answers (404, 401) will not change by asking again.
      if (err instanceof ApiCallError) throw err;
      if (failures >= maxReconnects)
        throw err instanceof CliError
          ? err
          : new CliError(`the event stream failed: ${(err as Error).message}`);
    }
    failures += 1;
    if (failures > maxReconnects)
      throw new CliError('the event stream kept closing; try "analog watch" again');
    await new Promise((r) => setTimeout(r, Math.min(1000 * 2 ** (failures - 1), 10_000)));
  }
}
