/**
 * Other processes, by pid: the ones a killed run of the stack left behind. They are not our
 * children, so there is no exit event to wait on; the only way to learn that one is gone is to
 * ask the kernel again (signal 0) until it is, or the deadline passes.
 */

/** True while the pid exists, also when it belongs to another user (EPERM). */
export function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

const POLL_MS = 50;

/** Resolves true once the pid is gone, false if it still runs after `timeoutMs`. */
export async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (!isAlive(pid)) {
			return true;
		}
		await new Promise((resolve) => setTimeout(resolve, POLL_MS));
	}
	return !isAlive(pid);
}
