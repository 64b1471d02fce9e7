/**
 * `analog`: the command-line client of the REST API. Exit codes: 0 ok, 1 failure, 2 usage.
 * Run through the package's bin (bin/analog.js), or `node --import tsx cli/main.ts`.
 */
import { Command, CommanderError, Option } from 'commander';
import * as commands from './commands';
import { CliError, EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from './errors';

export function buildProgram(io: commands.Io, setExit: (code: number) => void): Command {
  const program = new Command('analog');
  const global = () => program.opts<commands.GlobalOptions>();
  const run = (fn: () => Promise<number>) => async () => setExit(await fn());

  program
    .description('Analog Composer: submit and follow analog in-memory-computing experiments')
    .option('--api <url>', 'API base URL (default: ANALOG_API_URL, the saved one, or http://127.0.0.1:3000)')
    .showHelpAfterError('(add --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out.write(s), writeErr: (s) => io.err.write(s) });

  program
    .command('login')
    .description('log in and save a personal API token (user-only permissions)')
    .option('--email <email>', 'account email (asked for when missing)')
    .option('--password-stdin', 'read the password from standard input')
    .option('--token <token>', 'save an existing personal API token instead of logging in')
    .option('--token-name <name>', 'name of the token to create')
    .action((opts) => run(() => commands.login(global(), opts, io))());

  program
    .command('logout')
    .description('revoke the saved token and forget it')
    .action(() => run(() => commands.logout(global(), io))());

  program
    .command('submit')
    .description('submit an experiment document (JSON; "-" reads standard input)')
    .argument('<file.json>', 'the experiment document')
    .option('--watch', 'follow it until it finishes (exit 1 unless it completes)')
    .action((file: string, opts) => run(() => commands.submit(global(), file, opts, io))());

  program
    .command('list')
    .description('your experiments, newest first')
    .addOption(
      new Option('--status <status>', 'only this status').choices([
        'queued',
        'validating',
        'running',
        'paused',
        'completed',
        'failed',
        'cancelled',
      ]),
    )
    .addOption(new Option('--kind <kind>', 'only this kind').choices(['training', 'inference']))
    .option('--tag <tag>', 'only experiments with this tag')
    .addOption(
      new Option('--sort <key>', 'sort key').choices([
        'createdAt',
        '-createdAt',
        'name',
        '-name',
        'status',
        '-status',
      ]),
    )
    .option('--page <n>', 'page number (from 1)')
    .option('--page-size <n>', 'experiments per page (1..100)')
    .option('--json', 'print JSON')
    .action((opts) => run(() => commands.list(global(), opts, io))());

  program
    .command('status')
    .description('one experiment: status, progress, timestamps, error')
    .argument('<id>', 'experiment id')
    .option('--json', 'print JSON (with the full spec)')
    .action((id: string, opts) => run(() => commands.status(global(), id, opts, io))());

  program
    .command('watch')
    .description('a live progress bar until the experiment finishes (exit 1 unless it completes)')
    .argument('<id>', 'experiment id')
    .action((id: string) => run(() => commands.watch(global(), id, io))());

  program
    .command('results')
    .description('learning curve and accuracy after programming')
    .argument('<id>', 'experiment id')
    .option('--json', 'everything, as JSON (histograms included)')
    .option('--csv', 'a table as CSV')
    .addOption(
      new Option('--table <table>', 'with --csv: which table').choices(['learning_curve', 'inference']),
    )
    .action((id: string, opts) => run(() => commands.results(global(), id, opts, io))());

  for (const action of ['cancel', 'pause', 'resume'] as const) {
    program
      .command(action)
      .description(`${action} an experiment`)
      .argument('<id>', 'experiment id')
      .action((id: string) => run(() => commands.control(global(), action, id, io))());
  }

  program
    .command('presets')
    .description('the gallery of ready experiments; with an id, print that experiment document')
    .argument('[id]', 'a preset id')
    .option('--json', 'print JSON')
    .action((id: string | undefined, opts) => run(() => commands.presets(global(), id, opts, io))());

  program
    .command('schema')
    .description('print the JSON Schema of experiment documents')
    .action(() => run(() => commands.schema(global(), io))());

  return program;
}

export async function main(argv: string[], io: commands.Io): Promise<number> {
  let exitCode = EXIT_OK;
  const program = buildProgram(io, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return EXIT_OK;
      return EXIT_USAGE;
    }
    if (err instanceof CliError) {
      io.err.write(`analog: ${err.message}\n`);
      return err.exitCode;
    }
    io.err.write(`analog: unexpected error: ${(err as Error).message}\n`);
    return EXIT_FAILURE;
  }
}

if (require.main === module || process.env.ANALOG_CLI_ENTRY === '1') {
  main(process.argv.slice(2), { out: process.stdout, err: process.stderr, env: process.env }).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`analog: ${(err as Error).message}\n`);
      process.exitCode = EXIT_FAILURE;
    },
  );
}
