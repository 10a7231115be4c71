import { getDatabase } from '#lib/server/database.ts';
import { listDeliverables } from '#lib/server/reviews.ts';

export const load = async ({ locals }) => {
	const deliverables = await getDatabase().withUser(locals.claims!, listDeliverables);
	return {
		pending: deliverables.filter((d) => d.status === 'in_review'),
		others: deliverables.filter((d) => d.status !== 'in_review')
	};
};
