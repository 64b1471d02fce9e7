/** `npm run tools`: builds the Go servers (Temporal CLI, FerretDB) into the tools folder if missing. */
import { config } from '../config/env';
import { ensureGoTool, FERRETDB, GoMissingError, TEMPORAL_CLI } from '../infra/go-tools';

async function main(): Promise<void> {
  const cfg = config();
  for (const tool of [TEMPORAL_CLI, FERRETDB]) {
    const path = await ensureGoTool(cfg.TOOLS_DIR, tool, (line) => console.log(`[${tool.name}] ${line}`));
    console.log(`${tool.name} ${tool.version}: ${path}`);
  }
}

main().catch((err) => {
  console.error(err instanceof GoMissingError ? err.message : err);
  process.exit(1);
});
