import { fail, redirect } from '@sveltejs/kit';
import { confirmSchema } from '#lib/schemas/auth.ts';
import { linkContactsToUser } from '#lib/server/auth/first-sign-in.ts';
import { audienceOfPath, loginOf, safeNextPath } from '#lib/server/auth/next-path.ts';
import { getDatabase } from '#lib/server/database.ts';
import { logger } from '#lib/server/log.ts';

const log = logger('auth');

function readLink(url: URL) {
	const parsed = confirmSchema.safeParse({
		token_hash: url.searchParams.get('token_hash') ?? '',
		type: url.searchParams.get('type') ?? '',
		next: url.searchParams.get('next') ?? undefined
	});
	const next = parsed.success ? (parsed.data.next ?? '') : (url.searchParams.get('next') ?? '');
	const audience = audienceOfPath(next);
	return {
		link: parsed.success ? parsed.data : null,
		next: safeNextPath(next, audience),
		audience
	};
}

// GET only shows a button: mail scanners and link previews fetch links, and must not spend the
// one-time token. The token is spent by the POST below.
export const load = ({ url, locals }) => {
	const { link, next, audience } = readLink(url);
	return {
		valid: link !== null,
		next,
		freshLinkAction: loginOf[audience],
		// A used link opened again in a browser that is already signed in (a second tab, say)
		// needs no fresh link, just the way on.
		signedIn: locals.claims !== null
	};
};

export const actions = {
	default: async ({ url, locals }) => {
		const { link, next, audience } = readLink(url);
		if (!link) {
			return fail(400, { expired: true, freshLinkAction: loginOf[audience], next });
		}

		const { data, error } = await locals.supabase.auth.verifyOtp({
			token_hash: link.token_hash,
			type: link.type
		});
		if (error || !data.user) {
			log.info('sign-in link refused', { code: error?.code ?? 'no_user' });
			return fail(400, { expired: true, freshLinkAction: loginOf[audience], next });
		}

		if (data.user.email) {
			await linkContactsToUser(getDatabase(), { id: data.user.id, email: data.user.email });
		}
		log.info('signed in', { userId: data.user.id, audience });
		redirect(303, next);
	}
};
