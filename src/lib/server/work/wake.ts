import type { Tx } from '../db.ts';

/** The channel the background worker listens on. */
export const WORK_CHANNEL = 'cuepoint_work';

/**
 * Wakes every app instance's worker once the current transaction commits (NOTIFY is
 * transactional), so queued work starts at once instead of at the next poll.
 */
export async function wakeWorker(tx: Tx): Promise<void> {
	await tx`select pg_notify(${WORK_CHANNEL}, '')`;
}
