import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateSpecDocs, undocumentedFields, unusedNotes } from './generate';

describe('docs/experiment-spec.md', () => {
  it('explains every field of the schema', () => {
    expect(undocumentedFields()).toEqual([]);
  });

  it('has no notes for fields that no longer exist', () => {
    expect(unusedNotes()).toEqual([]);
  });

  it('is up to date with the schema (regenerate with `npm run docs:spec`)', () => {
    const file = readFileSync(join(__dirname, '..', '..', 'docs', 'experiment-spec.md'), 'utf8');
    expect(file).toEqual(generateSpecDocs());
  });
});
