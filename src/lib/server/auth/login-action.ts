import { fail, type Action } from '@sveltejs/kit';
import { loginSchema } from '#lib/schemas/auth.ts';
import { getDatabase } from '../database.ts';
import { requestMagicLink } from './magic-links.ts';
import { safeNextPath, type Audience } from './next-path.ts';

/**
 * The one sign-in action behind /portal/login and /login; they differ only in the audience,
 * which decides who may get a link and where it leads.
 */
export function magicLinkAction(audience: Audience): Action {
	return async ({ request }) => {
		const form = await request.formData();
		const email = String(form.get('email') ?? '');
		const nextPath = safeNextPath(String(form.get('next') ?? ''), audience);

		const parsed = loginSchema.safeParse({ email });
		if (!parsed.success) {
			return fail(400, { email, next: nextPath, error: parsed.error.issues[0].message });
		}

		await requestMagicLink(getDatabase(), { email: parsed.data.email, audience, nextPath });
		return { sent: true, email: parsed.data.email, next: nextPath };
	};
}
