/**
 * The official clients, set up as Cuepoint uses them: a service-role client for admin calls,
 * and per "request" an @supabase/ssr server client over an in-memory cookie jar.
 */
import { createServerClient } from '@supabase/ssr';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';

export interface StackAddress {
	apiUrl: string;
	anonKey: string;
	serviceRoleKey: string;
}

export type FetchLog = string[];

/** The run's shared stack (tests/support/global-stack.ts). */
export function globalStack(): StackAddress {
	return {
		apiUrl: inject('apiUrl'),
		anonKey: inject('anonKey'),
		serviceRoleKey: inject('serviceRoleKey')
	};
}

export function adminClient(stack: StackAddress): SupabaseClient {
	return createClient(stack.apiUrl, stack.serviceRoleKey, {
		auth: { persistSession: false, autoRefreshToken: false }
	});
}

/** A plain anon client without a stored session, for one-off calls like refreshSession. */
export function anonClient(stack: StackAddress): SupabaseClient {
	return createClient(stack.apiUrl, stack.anonKey, {
		auth: { persistSession: false, autoRefreshToken: false }
	});
}

/** What the app's hooks build for each request; `requests` logs every URL it fetched. */
export function ssrClient(stack: StackAddress, jar = new Map<string, string>()) {
	const requests: FetchLog = [];
	const client = createServerClient(stack.apiUrl, stack.anonKey, {
		cookies: {
			getAll: () => [...jar].map(([name, value]) => ({ name, value })),
			setAll: (cookies) => {
				for (const { name, value } of cookies) {
					if (value) {
						jar.set(name, value);
					} else {
						jar.delete(name);
					}
				}
			}
		},
		global: {
			fetch: (input, init) => {
				requests.push(String(input instanceof Request ? input.url : input));
				return fetch(input, init);
			}
		}
	});
	return { client, jar, requests };
}

export function uniqueEmail(label: string) {
	return `${label}-${randomUUID().slice(0, 8)}@contract.example`;
}

/** Issues a magic link the way the app does and returns its token hash and type. */
export async function issueLink(stack: StackAddress, email: string) {
	const { data, error } = await adminClient(stack).auth.admin.generateLink({
		type: 'magiclink',
		email
	});
	if (error) {
		throw error;
	}
	return {
		tokenHash: data.properties.hashed_token,
		type: data.properties.verification_type as 'signup' | 'magiclink',
		otp: data.properties.email_otp,
		userId: data.user.id
	};
}

/** A signed-in ssr client for a fresh (or given) address. */
export async function signIn(stack: StackAddress, email = uniqueEmail('user')) {
	const link = await issueLink(stack, email);
	const ssr = ssrClient(stack);
	const { data, error } = await ssr.client.auth.verifyOtp({
		token_hash: link.tokenHash,
		type: link.type
	});
	if (error || !data.session) {
		throw error ?? new Error('verifyOtp returned no session');
	}
	return { ...ssr, session: data.session, userId: link.userId, email };
}
