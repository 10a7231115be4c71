import { error } from '@sveltejs/kit';
import { getDatabase } from './database.ts';
import { requireUuid } from './errors.ts';
import { getCurrentVersion } from './reviews.ts';

/** Short, so a URL copied out of the page stops working soon; the player asks for a new one. */
export const SIGNED_MEDIA_SECONDS = 300;

/**
 * The media of a deliverable's current version, as a redirect to a short-lived signed Storage
 * URL. The page's media element points at this stable route, so whenever the player needs a
 * fresh URL it asks again. Storage checks the caller's own token against its RLS at signing.
 */
export async function signedMediaRedirect(locals: App.Locals, rawId: string): Promise<Response> {
	const id = requireUuid(rawId, 'Deliverable');
	if (!locals.claims) {
		error(401, 'Sign in to play this');
	}

	const version = await getDatabase().withUser(locals.claims, (tx) => getCurrentVersion(tx, id));
	if (!version) {
		error(404, 'Deliverable not found');
	}
	const { data, error: signError } = await locals.supabase.storage
		.from('deliverables')
		.createSignedUrl(version.storagePath, SIGNED_MEDIA_SECONDS);
	if (signError || !data) {
		error(404, 'Media not found');
	}

	return new Response(null, {
		status: 302,
		headers: { Location: data.signedUrl, 'Cache-Control': 'private, no-store' }
	});
}
