import { error } from '@sveltejs/kit';
import { getDatabase } from '#lib/server/database.ts';
import { requireUuid } from '#lib/server/errors.ts';
import { getCurrentVersion, getDeliverable } from '#lib/server/reviews.ts';
import { listStudioComments, listStudioDecisions } from '#lib/server/studio.ts';

export const load = async ({ params, locals }) => {
	const id = requireUuid(params.id, 'Deliverable');

	return getDatabase().withUser(locals.claims!, async (tx) => {
		const deliverable = await getDeliverable(tx, id);
		if (!deliverable) {
			error(404, 'Deliverable not found');
		}
		return {
			deliverable,
			version: await getCurrentVersion(tx, id),
			comments: await listStudioComments(tx, id),
			decisions: await listStudioDecisions(tx, id)
		};
	});
};
