import type { Database } from '../db.ts';
import type { Audience } from './next-path.ts';
import { wakeWorker } from '../work/wake.ts';

/**
 * Records a sign-in request and returns at once. Whether the address may sign in, rate limits
 * and the email itself are handled by the background worker, so the answer and its timing are
 * the same for every address (no account enumeration).
 */
export async function requestMagicLink(
	db: Database,
	request: { email: string; audience: Audience; nextPath: string }
): Promise<void> {
	await db.withService(async (tx) => {
		await tx`
			insert into public.auth_link_requests (email, audience, next_path)
			values (${request.email.toLowerCase()}, ${request.audience}, ${request.nextPath})`;
		await wakeWorker(tx);
	});
}
