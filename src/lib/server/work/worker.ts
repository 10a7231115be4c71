import { building } from '$app/env';
import { issuePendingLinks } from '../auth/link-issuer.ts';
import type { Database } from '../db.ts';
import { deliverOutbox } from '../email/outbox.ts';
import { logger } from '../log.ts';
import { WORK_CHANNEL } from './wake.ts';

const log = logger('worker');

/** Fallback poll for retries that come due and for wake-ups missed while disconnected. */
const POLL_MS = 5_000;

let started = false;

/**
 * Runs background work in this process: it wakes on NOTIFY from the request that queued work,
 * and polls as a fallback. Runs are serialized, so a wake-up during a run triggers one more run
 * rather than a parallel one.
 */
export function startBackgroundWork(db: Database): () => Promise<void> {
	if (started || building) {
		return async () => {};
	}
	started = true;

	let running = false;
	let again = false;
	let stopped = false;

	async function runOnce(): Promise<void> {
		if (stopped) {
			return;
		}
		if (running) {
			again = true;
			return;
		}
		running = true;
		try {
			do {
				again = false;
				const links = await issuePendingLinks(db);
				const mails = await deliverOutbox(db);
				again ||= links > 0 || mails > 0;
			} while (again);
		} catch (cause) {
			log.error('background work failed', { error: String(cause) });
		} finally {
			running = false;
		}
	}

	const wake = () => void runOnce();
	const listening = db.sql.listen(WORK_CHANNEL, wake, wake).catch((cause: unknown) => {
		log.error('could not listen for work; polling only', { error: String(cause) });
		return null;
	});
	const poll = setInterval(wake, POLL_MS);
	log.info('background work started', { channel: WORK_CHANNEL, pollMs: POLL_MS });

	return async () => {
		stopped = true;
		clearInterval(poll);
		await (await listening)?.unlisten();
	};
}
