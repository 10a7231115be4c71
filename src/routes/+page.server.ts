import { redirect } from '@sveltejs/kit';

// The root has nothing of its own: clients are the common visitors, so it leads to the portal.
export const load = () => {
	redirect(303, '/portal');
};
