/**
 * Command-line options of `npm run bench -- [--json] [--quick] [--only=NAME,...] [--save=FILE]`.
 * `--only` keeps the suites whose name starts with one of the given prefixes (see bench/suites/index.js).
 */
export function parseArgs(argv) {
  const options = { json: false, quick: false, only: null, save: null };
  for (const arg of argv) {
    if (arg === '--json') options.json = true;
    else if (arg === '--quick') options.quick = true;
    else if (arg.startsWith('--only=')) options.only = arg.slice('--only='.length).split(',').filter(Boolean);
    else if (arg.startsWith('--save=')) options.save = arg.slice('--save='.length);
    else if (arg === '--help' || arg === '-h') options.help = true;
    else throw new Error(`unknown option '${arg}' (use --json, --quick, --only=SUITE[,SUITE], --save=FILE)`);
  }
  return options;
}

export const USAGE = `usage: npm run bench -- [--json] [--quick] [--only=SUITE[,SUITE...]] [--save=FILE]
  --json    print { "results": [...] } on stdout instead of the table
  --quick   few and small rounds (a smoke run; its figures are not meaningful)
  --only    run only the suites whose names start with these prefixes
  --save=F  also write the JSON document to file F (with the run's header)`;
