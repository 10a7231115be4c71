import type { SupabaseClient } from '@supabase/supabase-js';
import type { AccessClaims } from '#lib/server/db.ts';
import type { ActiveContact, Membership } from '#lib/server/access.ts';

// See https://svelte.dev/docs/kit/types#app.d.ts
declare global {
	namespace App {
		interface Error {
			message: string;
			errorId?: string;
		}
		interface Locals {
			supabase: SupabaseClient;
			/** Verified access-token claims, or null when nobody is signed in. */
			claims: AccessClaims | null;
			/** Set by the guard on /app routes: the caller's studio memberships. */
			memberships: Membership[];
			/** Set by the guard on /portal routes: the caller's active client contacts. */
			contacts: ActiveContact[];
		}
	}
}

export {};
