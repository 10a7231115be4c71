/**
 * Brings a database to the project's schema the way the Supabase CLI does: the platform's own
 * objects first (bootstrap.sql stands in for them), then every migration not yet recorded in
 * `supabase_migrations.schema_migrations`, in filename order, each in its own transaction, then
 * `supabase/seed.sql` once (recorded in `supabase_migrations.seed_files`, as the CLI does).
 */
import postgres, { type Sql, type TransactionSql } from 'postgres';
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const bootstrapPath = fileURLToPath(new URL('./bootstrap.sql', import.meta.url));
const migrationsDir = join(repoRoot, 'supabase', 'migrations');
const seedPath = join(repoRoot, 'supabase', 'seed.sql');
const SEED_RECORD_PATH = 'supabase/seed.sql';
const MIGRATION_FILE = /^(\d+)_(.+)\.sql$/;

// Serialises stacks that prepare the same server at once (tests on one DATABASE_URL).
const PREPARE_LOCK_KEY = 7_314_002;

export async function prepareDatabase(
	superuserUrl: string,
	options: { seed: boolean }
): Promise<void> {
	// One connection, so the session-level advisory lock covers every step.
	const sql = postgres(superuserUrl, { max: 1, onnotice: () => {} });

	try {
		await sql`select pg_advisory_lock(${PREPARE_LOCK_KEY})`;
		await sql.unsafe(await readFile(bootstrapPath, 'utf8'));
		await runPendingMigrations(sql);

		if (options.seed) {
			await runSeedOnce(sql);
		}
	} finally {
		await sql.end();
	}
}

interface MigrationFile {
	version: string;
	name: string;
	fileName: string;
}

async function listMigrations(): Promise<MigrationFile[]> {
	const fileNames = (await readdir(migrationsDir).catch(() => [])).filter((f) =>
		f.endsWith('.sql')
	);
	const migrations = fileNames.sort().map((fileName) => {
		const match = MIGRATION_FILE.exec(fileName);
		if (!match) {
			throw new Error(
				`supabase/migrations/${fileName}: migration files must be named <digits>_<name>.sql`
			);
		}
		return { version: match[1], name: match[2], fileName };
	});

	const versions = new Set<string>();
	for (const migration of migrations) {
		if (versions.has(migration.version)) {
			throw new Error(`Two migrations share version ${migration.version}; versions must be unique`);
		}
		versions.add(migration.version);
	}

	return migrations;
}

async function runPendingMigrations(sql: Sql) {
	const applied = new Set(
		(
			await sql<{ version: string }[]>`select version from supabase_migrations.schema_migrations`
		).map((row) => row.version)
	);

	for (const migration of await listMigrations()) {
		if (applied.has(migration.version)) {
			continue;
		}

		const text = await readFile(join(migrationsDir, migration.fileName), 'utf8');
		await runScript(
			sql,
			`supabase/migrations/${migration.fileName}`,
			text,
			(tx) => tx`
				insert into supabase_migrations.schema_migrations (version, name, statements)
				values (${migration.version}, ${migration.name}, ${[text]}::text[])
			`
		);
	}
}

async function runSeedOnce(sql: Sql) {
	const text = await readFile(seedPath, 'utf8').catch(() => null);
	if (text === null) {
		return;
	}

	const [seeded] = await sql`
		select 1 from supabase_migrations.seed_files where path = ${SEED_RECORD_PATH}
	`;
	if (seeded) {
		return;
	}

	const hash = createHash('sha256').update(text).digest('hex');
	await runScript(
		sql,
		SEED_RECORD_PATH,
		text,
		(tx) =>
			tx`insert into supabase_migrations.seed_files (path, hash) values (${SEED_RECORD_PATH}, ${hash})`
	);
}

async function runScript(
	sql: Sql,
	label: string,
	text: string,
	record: (tx: TransactionSql) => Promise<unknown>
) {
	try {
		await sql.begin(async (tx) => {
			await tx.unsafe(text);
			await record(tx);
		});
	} catch (error) {
		throw new Error(`${label}${locate(text, error)} failed: ${describe(error)}`, { cause: error });
	}
}

/** ":<line>" when Postgres reported the character position of the error. */
function locate(text: string, error: unknown) {
	const position = Number((error as { position?: string }).position);
	if (!Number.isInteger(position) || position < 1) {
		return '';
	}
	return `:${text.slice(0, position - 1).split('\n').length}`;
}

function describe(error: unknown) {
	if (!(error instanceof Error)) {
		return String(error);
	}
	const detail = (error as { detail?: string }).detail;
	return detail ? `${error.message} (${detail})` : error.message;
}
