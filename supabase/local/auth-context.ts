import type { Sql } from 'postgres';
import type { Signer } from './jwt.ts';

/** What every Auth handler needs; one per stack. */
export interface AuthContext {
	/** Superuser pool: GoTrue owns the auth schema and works outside RLS. */
	sql: Sql;
	signer: Signer;
	/** The API's base URL; set once the server listens (the port may be chosen then). */
	apiUrl: string;
	/** Where links lead by default, and the origin `redirect_to` must match. */
	siteUrl: string;
	otpExpirySeconds: number;
	/** How long a rotated refresh token may still be reused (§A.9; 10 s like the CLI). */
	refreshTokenReuseIntervalSeconds: number;
}

export const ACCESS_TOKEN_LIFETIME_SECONDS = 3600;
