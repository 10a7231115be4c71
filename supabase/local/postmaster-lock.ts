/**
 * Recovery from a killed run. When the stack's Node process dies without cleaning up (SIGKILL,
 * a closed terminal), it leaves `postmaster.pid` behind, and often the postgres server itself,
 * orphaned but still holding the data folder and the port. The next start must get past both.
 */
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { isAlive, waitForExit } from './processes.ts';

const SHUTDOWN_WAIT_MS = 15_000;

export async function clearStalePostmaster(databaseDir: string): Promise<void> {
	const lockPath = join(databaseDir, 'postmaster.pid');
	const pid = await readLockPid(lockPath);

	if (pid === null) {
		return;
	}

	if (!isAlive(pid) || !(await servesFolder(pid, databaseDir))) {
		// Postgres would also ignore a lock whose pid is gone, but not one whose pid the OS has
		// since given to an unrelated process (common in containers), so the file goes.
		await rm(lockPath, { force: true });
		return;
	}

	const parent = await parentPid(pid);
	if (parent !== null && parent > 1 && (await isNodeProcess(parent))) {
		throw new Error(
			`The data folder ${databaseDir} is in use by a running stack (postgres pid ${pid}, ` +
				`started by process ${parent}). Stop that stack first.`
		);
	}

	// An orphan from a killed run of this stack: ask it for a fast shutdown (SIGINT).
	process.kill(pid, 'SIGINT');
	if (!(await waitForExit(pid, SHUTDOWN_WAIT_MS))) {
		throw new Error(`A leftover postgres (pid ${pid}) on ${databaseDir} did not shut down.`);
	}
}

async function readLockPid(lockPath: string): Promise<number | null> {
	const text = await readFile(lockPath, 'utf8').catch(() => null);
	const pid = Number(text?.split('\n')[0]);
	return Number.isInteger(pid) && pid > 0 ? pid : null;
}

/** Linux only (/proc); elsewhere a live pid is trusted to be the postmaster, as Postgres does. */
async function servesFolder(pid: number, databaseDir: string): Promise<boolean> {
	const commandLine = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => null);
	if (commandLine === null) {
		return process.platform !== 'linux';
	}
	const args = commandLine.split('\0');
	return args.some((arg) => arg.endsWith('postgres')) && args.includes(databaseDir);
}

async function parentPid(pid: number): Promise<number | null> {
	const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => null);
	const match = status?.match(/^PPid:\s+(\d+)$/m);
	return match ? Number(match[1]) : null;
}

async function isNodeProcess(pid: number): Promise<boolean> {
	const commandLine = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
	return /(^|\/)node$/.test(commandLine.split('\0')[0]);
}
