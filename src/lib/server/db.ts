import postgres from 'postgres';

/**
 * The claims of a verified Supabase access token. Only `sub` and `role` matter to the database;
 * the rest is passed through so `auth.jwt()` sees what PostgREST would show it.
 */
export interface AccessClaims {
	sub: string;
	role: string;
	email?: string;
	session_id?: string;
	[claim: string]: unknown;
}

export type Sql = postgres.Sql;
export type Tx = postgres.TransactionSql;

export interface Database {
	/** Raw pool. The app's login role can only switch roles, so it can read nothing by itself. */
	sql: Sql;
	/** Runs `fn` in one transaction as `authenticated` with the caller's claims, so RLS decides. */
	withUser<T>(claims: AccessClaims, fn: (tx: Tx) => Promise<T>): Promise<T>;
	/** Runs `fn` as `service_role`. Background work only (outbox, link issuing). */
	withService<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
	end(): Promise<void>;
}

export function createDatabase(url: string, options: { max?: number } = {}): Database {
	const sql = postgres(url, {
		max: options.max ?? 10,
		// Notices (e.g. "relation already exists") are not errors; keep them out of the log.
		onnotice: () => {},
		// Dates stay strings: the UI formats them, and `date` columns must not shift by timezone.
		types: {
			date: { to: 1082, from: [1082], serialize: (v: string) => v, parse: (v: string) => v }
		}
	});

	async function as<T>(
		role: string,
		claims: { role: string; sub?: string },
		fn: (tx: Tx) => Promise<T>
	): Promise<T> {
		const result = await sql.begin(async (tx) => {
			// One statement, transaction-local (`true`), as PostgREST does per request: the role
			// and claims vanish at commit, so a pooled connection never carries them over. The
			// subject is also set on its own, as PostgREST once did: auth.uid() reads that setting
			// first, and every policy calls auth.uid(), which otherwise parses the whole claims
			// document each time (measured: 7.5 microseconds a call against 2; bench/README.md).
			await tx`select set_config('role', ${role}, true),
				set_config('request.jwt.claims', ${JSON.stringify(claims)}, true),
				set_config('request.jwt.claim.sub', ${claims.sub ?? ''}, true)`;
			return fn(tx);
		});
		return result as T;
	}

	return {
		sql,
		withUser: (claims, fn) => {
			if (claims.role !== 'authenticated' || !claims.sub) {
				throw new Error('withUser needs the claims of an authenticated user');
			}
			return as('authenticated', claims, fn);
		},
		withService: (fn) => as('service_role', { role: 'service_role' }, fn),
		end: () => sql.end({ timeout: 5 })
	};
}
