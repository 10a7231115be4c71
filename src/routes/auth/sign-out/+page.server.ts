import { redirect } from '@sveltejs/kit';
import { loginOf, type Audience } from '#lib/server/auth/next-path.ts';

export const load = () => {
	redirect(303, '/portal/login');
};

export const actions = {
	default: async ({ request, locals }) => {
		const form = await request.formData();
		const audience: Audience = form.get('audience') === 'app' ? 'app' : 'portal';

		// Local scope: signing out here must not end the person's sessions on other devices.
		await locals.supabase.auth.signOut({ scope: 'local' });
		redirect(303, loginOf[audience]);
	}
};
