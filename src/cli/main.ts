import { Command, CommanderError, Option } from 'commander';
import { EXIT, UsageError } from '../errors.js';
import { reportError, version, type GlobalOptions } from './output.js';

type Action = (...args: any[]) => Promise<number>;

/** Build the command tree. Each action parses flags, calls the core, prints, and returns an exit code. */
export function buildProgram(setExit: (code: number) => void): Command {
  const program = new Command('lizzy-sync');
  program
    .description('Sync a powersports webstore with the Lizzy DMS: inventory pull, order push.')
    .version(version(), '-V, --version')
    .option('-c, --config <path>', 'config file (default: $LIZZY_SYNC_CONFIG or ./lizzy-sync.yaml); the daemon takes several', (v: string, prev: string[] = []) => [...prev, v])
    .option('--json', 'print the result as one JSON object on stdout')
    .option('--debug', 'show stack traces for unexpected errors')
    .option('--no-color', 'no colours (NO_COLOR is honoured too)')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();

  const wrap =
    (fn: Action) =>
    async (...args: any[]) => {
      const cmd = args[args.length - 1] as Command;
      const flags = { ...cmd.optsWithGlobals() } as GlobalOptions;
      try {
        setExit(await fn(...args.slice(0, -2), flags));
      } catch (e) {
        setExit(reportError(e, flags));
      }
    };

  const inventory = program.command('inventory').description('inventory sync from Lizzy');
  inventory
    .command('pull')
    .description("fetch Lizzy's inventory feed and update shelf quantities (and prices where mapped)")
    .option('--dry-run', 'compute and report the plan; write nothing to the database')
    .option('--any-day', 'run on a disabled day (the wipe guards still apply)')
    .option('--force', 'run on a disabled day or outside the schedule, AND apply even when a wipe guard trips (try --dry-run first)')
    .option('--scheduled', 'run only inside the schedule (for an hourly cron entry or Windows task); otherwise exit 0')
    .action(wrap(async (flags) => (await import('./inventory.js')).inventoryPullCommand(flags)));
  inventory
    .command('fetch')
    .description("save Lizzy's inventory feed to a file (for mappings validate --feed)")
    .requiredOption('-o, --out <file>', 'where to write the feed JSON')
    .action(wrap(async (flags) => (await import('./inventory.js')).inventoryFetchCommand(flags)));

  const catalog = program.command('catalog').description("the webstore's catalog in the mirror");
  catalog
    .command('import')
    .description('load or update products from a CSV (catalog,distributor,manufacturer,part_number,description,list_price,shelf_qty)')
    .argument('<file>', 'catalog CSV')
    .action(wrap(async (file: string, flags) => (await import('./catalog.js')).catalogImportCommand(file, flags)));
  catalog
    .command('export')
    .description('write the products with their current shelf quantity and list price as CSV')
    .option('-o, --out <file>', 'file to write (default: stdout)')
    .action(wrap(async (flags) => (await import('./catalog.js')).catalogExportCommand(flags)));

  const orders = program.command('orders').description("the webstore's orders: import them into the mirror, push them to Lizzy");
  orders
    .command('import')
    .description('load or update orders from the webstore export (JSON array; a sent order is never changed)')
    .argument('<file>', 'orders JSON')
    .action(wrap(async (file: string, flags) => (await import('./orders.js')).ordersImportCommand(file, flags)));
  orders
    .command('push')
    .description('send pending orders to Lizzy in batches (never twice; unknown outcomes are checked with Lizzy first)')
    .option('--dry-run', 'show the batches and payloads that would be sent; send nothing, change nothing')
    .option('--show-personal', 'with --dry-run: show names, e-mails, phones and street addresses')
    .option('--since <date>', 'also send never-sent orders placed since DATE (YYYY-MM-DD in the schedule zone, or an ISO instant)')
    .option('--scheduled', 'run only when the orders schedule is due (for an hourly cron entry or Windows task); otherwise exit 0')
    .action(wrap(async (flags) => (await import('./orders.js')).ordersPushCommand(flags)));

  program
    .command('daemon')
    .description('run the inventory and order schedules until stopped (SIGINT/SIGTERM); --config may be repeated, one per dealership')
    .option('--log-format <format>', 'human or json (default: human on a terminal, json otherwise)')
    .action(
      wrap(async (flags) => {
        const { config, ...rest } = flags as GlobalOptions & { config?: string | string[] };
        const configs = Array.isArray(config) ? config : config ? [config] : undefined;
        return (await import('./daemon.js')).daemonCommand({ ...rest, configs });
      }),
    );
  program
    .command('schedule')
    .description('print the next runs of each job, in the schedule zone and this machine\'s time')
    .option('-n, --count <n>', 'how many runs per job', '5')
    .action(wrap(async (flags) => (await import('./schedule.js')).scheduleCommand(flags)));

  // ---- diagnostics: mappings validate, explain, status, config check ----
  const mappings = program.command('mappings').description('the vendor mappings: check them against the catalog and Lizzy\'s feed');
  mappings
    .command('validate')
    .description("check the vendor mappings against the catalog and Lizzy's feed (live, or --feed FILE); exit 0 clean, 1 problems")
    .option('--feed <file>', 'use a saved feed (lizzy-sync inventory fetch --out FILE) instead of calling Lizzy')
    .option('--report <file>', 'also write the findings to this CSV file')
    .action(wrap(async (flags) => (await import('./mappings.js')).mappingsValidateCommand(flags)));
  program
    .command('explain')
    .description("walk one part through the sync: what Lizzy says, which mapping rows apply, which product each finds, what the next pull writes")
    .requiredOption('--vendor <name>', 'the vendor name exactly as Lizzy writes it')
    .requiredOption('--item <number>', 'the item / part number exactly as Lizzy writes it')
    .option('--feed <file>', 'look the part up in a saved feed instead of calling Lizzy')
    .action(wrap(async (flags) => (await import('./explain.js')).explainCommand(flags)));
  program
    .command('status')
    .description('is it working? last runs, orders waiting, locks, next runs; exit 0 healthy, 1 unhealthy')
    .action(wrap(async (flags) => (await import('./status.js')).statusCommand(flags)));
  const configCmd = program.command('config').description('the configuration');
  configCmd
    .command('check')
    .description('print every resolved setting and where it came from; check the database, reports folder and (unless --offline) the Lizzy key')
    .option('--offline', 'do not call Lizzy')
    .action(wrap(async (flags) => (await import('./config-check.js')).configCheckCommand(flags)));

  program
    .command('mock-lizzy')
    .description('run a mock Lizzy on 127.0.0.1 for demos, tests and CI smoke tests')
    .addOption(new Option('-p, --port <n>', 'port (0 picks a free one)').default('4010'))
    .option('-d, --data <dir>', 'folder with lizzy-feed.json, the feed to serve')
    .option('--api-key <key>', 'the API key to accept (default: $LIZZY_API_KEY)')
    .option('--webstore-id <id>', 'the Webstore ID to accept (default: any)')
    .option('--delay-ms <ms>', 'delay every answer')
    .option('--no-content', 'answer accepted orders with 204 No Content')
    .action(wrap(async (flags) => (await import('./mock.js')).mockLizzyCommand(flags)));

  return program;
}

/** Run the CLI; resolves to the exit code. */
export async function run(argv: string[]): Promise<number> {
  let code: number = EXIT.OK;
  // --json promises one JSON object on stdout, the version included.
  if (argv.includes('--json') && (argv.includes('--version') || argv.includes('-V'))) {
    process.stdout.write(`${JSON.stringify({ ok: true, exitCode: EXIT.OK, name: 'lizzy-sync', version: version() }, null, 2)}\n`);
    return EXIT.OK;
  }
  const program = buildProgram((c) => (code = c));
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') return EXIT.OK;
      // Help shown because a command group was run without its subcommand (`lizzy-sync inventory`):
      // nothing ran, so a script must not read it as success.
      if (e.code === 'commander.help') {
        if (e.exitCode === 0) return EXIT.OK;
        if (argv.includes('--json')) {
          const message = 'a subcommand is missing (the help on stderr lists them)';
          process.stdout.write(`${JSON.stringify({ ok: false, exitCode: EXIT.USAGE, error: { type: 'UsageError', message } }, null, 2)}\n`);
        }
        return EXIT.USAGE;
      }
      if (e.code === 'commander.executeSubCommandAsync') return EXIT.OK;
      // commander already printed the message on stderr; --json still gets one object on stdout.
      if (argv.includes('--json')) {
        process.stdout.write(`${JSON.stringify({ ok: false, exitCode: EXIT.USAGE, error: { type: 'UsageError', message: e.message.replace(/^error: /, '') } }, null, 2)}\n`);
      }
      return EXIT.USAGE;
    }
    return reportError(e instanceof Error ? e : new UsageError(String(e)), {});
  }
  return code;
}

export async function main(): Promise<void> {
  // `lizzy-sync ... | head` closes the pipe early: that is the reader's choice, not an error.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      // Output that cannot be written (a full log disk): say so where possible, no stack trace.
      try {
        if (stream === process.stdout) process.stderr.write(`error: cannot write the output: ${e.code ?? e.message}\n`);
      } catch {
        /* nothing more to do */
      }
      process.exit(EXIT.CANNOT_RUN);
    });
  }
  const code = await run(process.argv.slice(2));
  process.exitCode = code;
}
