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
    .option('-c, --config <path>', 'config file (default: $LIZZY_SYNC_CONFIG or ./lizzy-sync.yaml)')
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
    .option('--force', 'run on a disabled day, and apply even when the wipe guard trips')
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
  const program = buildProgram((c) => (code = c));
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return EXIT.OK;
      if (e.code === 'commander.executeSubCommandAsync') return EXIT.OK;
      // commander already printed the message
      return EXIT.USAGE;
    }
    return reportError(e instanceof Error ? e : new UsageError(String(e)), {});
  }
  return code;
}

export async function main(): Promise<void> {
  const code = await run(process.argv.slice(2));
  process.exitCode = code;
}
