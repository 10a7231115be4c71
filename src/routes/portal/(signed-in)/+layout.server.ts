import { loadBranding } from '#lib/server/branding.ts';
import { getDatabase } from '#lib/server/database.ts';

export const load = async ({ locals }) => {
	// The guard in hooks.server.ts has already required a session and an active contact row.
	const [contact] = locals.contacts;
	const branding = await getDatabase().withUser(locals.claims!, (tx) =>
		loadBranding(tx, contact.orgId)
	);

	return {
		viewer: { name: contact.fullName },
		studio: {
			name: branding?.displayName ?? 'Your studio',
			accentColor: branding?.accentColor ?? null
		}
	};
};
