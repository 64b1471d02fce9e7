/**
 * Custom search attributes, so operators can filter experiments in the Temporal UI
 * (e.g. `AnalogOwner="alice" AND AnalogKind="training"`). Workflow-safe: no I/O here.
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const SA_OWNER = defineSearchAttributeKey('AnalogOwner', SearchAttributeType.KEYWORD);
export const SA_KIND = defineSearchAttributeKey('AnalogKind', SearchAttributeType.KEYWORD);
export const SA_QUEUE = defineSearchAttributeKey('AnalogQueue', SearchAttributeType.KEYWORD);
export const SA_DATASET = defineSearchAttributeKey('AnalogDataset', SearchAttributeType.KEYWORD);
export const SA_EXPERIMENT_ID = defineSearchAttributeKey('AnalogExperimentId', SearchAttributeType.KEYWORD);

export const SEARCH_ATTRIBUTES = [SA_OWNER, SA_KIND, SA_QUEUE, SA_DATASET, SA_EXPERIMENT_ID];

/** `--search-attribute` flags for `temporal server start-dev`. */
export function devServerSearchAttributeFlags(): string[] {
  return SEARCH_ATTRIBUTES.flatMap((key) => ['--search-attribute', `${key.name}=Keyword`]);
}
