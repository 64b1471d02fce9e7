import { activityInfo } from '@temporalio/activity';

/** Activities every compute queue serves, for system checks. */
export function createSystemActivities(queue: string) {
  return {
    async ping(message: string): Promise<string> {
      const info = activityInfo();
      return `pong: ${message} (queue ${queue}, worker pid ${process.pid}, attempt ${info.attempt})`;
    },
  };
}

export type SystemActivities = ReturnType<typeof createSystemActivities>;
