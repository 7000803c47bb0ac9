import { parseArgs } from 'node:util';
import { loadConfigOrExit } from '@microshop/config';

/**
 * `npm run create-admin -- --email <email>`: creates an ADMIN account. The password comes from
 * MICROSHOP_ADMIN_PASSWORD or standard input, never from the command line (which other users of
 * the machine can read in the process list and which lands in shell history).
 */

function fail(message: string): never {
  process.stderr.write(`create-admin: ${message}\n`);
  process.exit(1);
}

/** The first line of standard input; on a terminal, asked for without echoing what is typed. */
async function readPasswordFromStdin(): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) {
    let text = '';
    for await (const chunk of stdin) text += String(chunk);
    return text.split(/\r?\n/)[0] ?? '';
  }
  process.stderr.write('Password for the new admin: ');
  stdin.setRawMode(true);
  stdin.setEncoding('utf8');
  return new Promise((resolve) => {
    let typed = '';
    const onData = (key: string) => {
      for (const char of key) {
        if (char === '\r' || char === '\n') {
          stdin.setRawMode(false);
          stdin.off('data', onData);
          stdin.pause();
          process.stderr.write('\n');
          resolve(typed);
          return;
        }
        if (char === '\u0003') fail('cancelled');
        typed = char === '\u007f' ? typed.slice(0, -1) : typed + char;
      }
    };
    stdin.on('data', onData);
  });
}

const USAGE = 'usage: npm run create-admin -- --email <email>';

function parseArguments() {
  try {
    return parseArgs({
      options: {
        email: { type: 'string' },
        password: { type: 'string' },
        help: { type: 'boolean' },
      },
      strict: true,
    }).values;
  } catch (error) {
    // An unknown option or a missing value: say which, with the usage, not a stack trace.
    return fail(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
  }
}

const values = parseArguments();
if (values.help) {
  process.stdout.write(
    `${USAGE}\n(the password from MICROSHOP_ADMIN_PASSWORD or standard input)\n`,
  );
  process.exit(0);
}
if (values.password !== undefined) {
  fail(
    '--password is not accepted: set MICROSHOP_ADMIN_PASSWORD or type the password on standard input',
  );
}
if (!values.email) fail(USAGE);

const config = loadConfigOrExit();
if (config.database.kind !== 'postgres') {
  fail(
    'DATABASE_URL is not set. Point it at the database (for the embedded one, `npm start` creates the admin itself).',
  );
}
const password = config.adminPassword ?? (await readPasswordFromStdin());
if (password === '') fail('no password given (MICROSHOP_ADMIN_PASSWORD or standard input)');

// Loaded only now: the arguments and the configuration are checked before the database client loads.
const [{ createPrismaClient }, { ensureAdmin, scryptParametersFor }] = await Promise.all([
  import('@microshop/db'),
  import('@microshop/users'),
]);
const db = createPrismaClient(config.database.url);
try {
  const result = await ensureAdmin(db, {
    email: values.email,
    password,
    scrypt: scryptParametersFor(config),
  });
  if (!result.created)
    fail(`an account with the email ${values.email} already exists; nothing changed`);
  process.stdout.write(`created the ADMIN account ${values.email}\n`);
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
} finally {
  await db.$disconnect();
}
