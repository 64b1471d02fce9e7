/**
 * Writes docs/experiment-spec.md from the experiment schema (`npm run docs:spec`). A test compares the
 * file with the generator, so run this after changing a schema or a field note.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateSpecDocs } from '../experiment-spec/docs/generate';

const target = join(__dirname, '..', 'docs', 'experiment-spec.md');
writeFileSync(target, generateSpecDocs());
process.stdout.write(`wrote ${target}\n`);
