import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import { createServerClient } from '@supabase/ssr';
import type { Cookies } from '@sveltejs/kit';
import { PUBLIC_SUPABASE_ANON_KEY, PUBLIC_SUPABASE_URL } from '$app/env/public';
import { APP_URL, AUTH_COOKIE_NAME, SUPABASE_SERVICE_ROLE_KEY } from '$app/env/private';

/**
 * The per-request Supabase client. Its session lives in cookies between the browser and this
 * server only; the browser never talks to Auth directly. The cookie is httpOnly because nothing
 * in the browser needs the tokens, and `secure` whenever the app is served over https.
 */
export function createRequestClient(cookies: Cookies): SupabaseClient {
	const secure = new URL(APP_URL).protocol === 'https:';

	return createServerClient(PUBLIC_SUPABASE_URL, PUBLIC_SUPABASE_ANON_KEY, {
		cookieOptions: { name: AUTH_COOKIE_NAME, httpOnly: true, sameSite: 'lax', secure },
		cookies: {
			getAll: () => cookies.getAll(),
			setAll: (toSet) => {
				for (const { name, value, options } of toSet) {
					cookies.set(name, value, { ...options, path: '/', httpOnly: true, secure });
				}
			}
		}
	});
}

let serviceClient: SupabaseClient | undefined;

/**
 * Admin client for issuing magic links and signing storage URLs in background work. Never hand
 * it to request code without an explicit authorization check first.
 */
export function getServiceClient(): SupabaseClient {
	serviceClient ??= createClient(PUBLIC_SUPABASE_URL, SUPABASE_SERVICE_ROLE_KEY, {
		auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false }
	});
	return serviceClient;
}
