import type { SupabaseClient } from '@supabase/supabase-js';
import type { AccessClaims } from './db.ts';

/**
 * The caller's verified claims, or null. `getClaims` checks the access token's signature against
 * the project's JWKS (and refreshes a token about to expire), so the cookie's contents alone are
 * never trusted.
 */
export async function verifiedClaims(supabase: SupabaseClient): Promise<AccessClaims | null> {
	const { data, error } = await supabase.auth.getClaims();
	if (error || !data?.claims) {
		return null;
	}
	const claims = data.claims as AccessClaims;
	return claims.role === 'authenticated' && typeof claims.sub === 'string' ? claims : null;
}
