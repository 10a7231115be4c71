import { APP_URL, AUTH_OTP_EXPIRY_SECONDS } from '$app/env/private';
import type { Database } from '../db.ts';
import { renderMagicLinkEmail } from '../email/magic-link-email.ts';
import { logger } from '../log.ts';
import { getServiceClient } from '../supabase.ts';
import { wakeWorker } from '../work/wake.ts';
import type { Audience } from './next-path.ts';

const log = logger('auth');

/** At most this many links per address and audience in the window. */
export const LINK_RATE_LIMIT = { maxLinks: 5, windowMinutes: 15 };

interface LinkRequest {
	id: string;
	email: string;
	audience: Audience;
	nextPath: string;
	requestedAt: Date;
}

type Outcome = 'sent' | 'not_eligible' | 'rate_limited' | 'failed';

/**
 * Issues the links that were asked for. Each request is claimed (marked processed) before the
 * Auth call, so two app instances never send the same link twice; a crash in between loses that
 * one request, and the person simply asks again.
 */
export async function issuePendingLinks(db: Database): Promise<number> {
	const requests = await db.withService(
		(tx) => tx<LinkRequest[]>`
			update public.auth_link_requests set processed_at = now()
			where id in (
				select id from public.auth_link_requests
				where processed_at is null
				order by requested_at
				limit 20
				for update skip locked
			)
			returning id, email, audience, next_path as "nextPath", requested_at as "requestedAt"`
	);
	// UPDATE ... RETURNING does not keep the subquery's order; the rate limit counts earlier
	// requests, so they must be handled oldest first.
	requests.sort((a, b) => a.requestedAt.getTime() - b.requestedAt.getTime());

	for (const request of requests) {
		const outcome = await issueLink(db, request).catch((cause: unknown) => {
			log.error('issuing a sign-in link failed', { requestId: request.id, error: String(cause) });
			return 'failed' as const;
		});
		await db.withService(
			(tx) => tx`update public.auth_link_requests set outcome = ${outcome} where id = ${request.id}`
		);
		log.info('sign-in link request handled', { requestId: request.id, outcome });
	}
	return requests.length;
}

async function issueLink(db: Database, request: LinkRequest): Promise<Outcome> {
	const target = await db.withService(async (tx) => {
		const [row] = await tx<{ studioName: string }[]>`
			select studio_name as "studioName"
			from private.sign_in_target(${request.email}, ${request.audience})`;
		return row;
	});
	if (!target) {
		return 'not_eligible';
	}

	const [{ recent }] = await db.withService(
		(tx) => tx<{ recent: number }[]>`
			select count(*)::int as recent from public.auth_link_requests
			where email = ${request.email} and audience = ${request.audience} and outcome = 'sent'
				and requested_at > now() - make_interval(mins => ${LINK_RATE_LIMIT.windowMinutes})`
	);
	if (recent >= LINK_RATE_LIMIT.maxLinks) {
		return 'rate_limited';
	}

	// Invited people get a confirmed user before their first link. Otherwise the first link
	// would be a signup link (a confirmation token) that a later magic link (a recovery token)
	// does not replace, and an older link would keep working. Eligibility was checked above, so
	// only invited contacts and studio members ever get a user.
	const admin = getServiceClient().auth.admin;
	const created = await admin.createUser({ email: request.email, email_confirm: true });
	if (created.error && created.error.code !== 'email_exists') {
		throw new Error(`createUser failed: ${created.error.code ?? created.error.status}`);
	}

	// generateLink's own action_link would deliver tokens in a URL fragment that SSR cannot
	// read; the token_hash goes to our confirm page instead, which spends it only on POST.
	const { data, error } = await admin.generateLink({ type: 'magiclink', email: request.email });
	if (error || !data.properties) {
		throw new Error(`generateLink failed: ${error?.code ?? 'no properties'}`);
	}
	const link = new URL('/auth/confirm', APP_URL);
	link.searchParams.set('token_hash', data.properties.hashed_token);
	link.searchParams.set('type', data.properties.verification_type);
	link.searchParams.set('next', request.nextPath);

	const email = renderMagicLinkEmail({
		studioName: target.studioName,
		link: link.toString(),
		expiresInMinutes: Math.round(AUTH_OTP_EXPIRY_SECONDS / 60),
		audience: request.audience
	});
	await db.withService(async (tx) => {
		await tx`
			insert into public.email_outbox (to_email, subject, html, text)
			values (${request.email}, ${email.subject}, ${email.html}, ${email.text})`;
		await wakeWorker(tx);
	});
	return 'sent';
}
