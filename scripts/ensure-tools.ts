/**
 * `npm run tools`: builds the Go servers (Temporal CLI, FerretDB) into the tools folder if missing.
 * `--with-compose` also builds Docker Compose, to check the compose file where Docker is absent (CI).
 */
import { config } from '../config/env';
import { DOCKER_COMPOSE, ensureGoTool, FERRETDB, GoMissingError, TEMPORAL_CLI } from '../infra/go-tools';

async function main(): Promise<void> {
  const cfg = config();
  const tools = [
    TEMPORAL_CLI,
    FERRETDB,
    ...(process.argv.includes('--with-compose') ? [DOCKER_COMPOSE] : []),
  ];
  for (const tool of tools) {
    const path = await ensureGoTool(cfg.TOOLS_DIR, tool, (line) => console.log(`[${tool.name}] ${line}`));
    console.log(`${tool.name} ${tool.version}: ${path}`);
  }
}

main().catch((err) => {
  console.error(err instanceof GoMissingError ? err.message : err);
  process.exit(1);
});
