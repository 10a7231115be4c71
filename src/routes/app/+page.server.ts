import { getDatabase } from '#lib/server/database.ts';
import { listStudioDeliverables } from '#lib/server/studio.ts';

export const load = async ({ locals }) => {
	const deliverables = await getDatabase().withUser(locals.claims!, listStudioDeliverables);

	const byClient = new Map<string, typeof deliverables>();
	for (const deliverable of deliverables) {
		const list = byClient.get(deliverable.clientName) ?? [];
		list.push(deliverable);
		byClient.set(deliverable.clientName, list);
	}
	return { clients: [...byClient].map(([name, items]) => ({ name, deliverables: items })) };
};
