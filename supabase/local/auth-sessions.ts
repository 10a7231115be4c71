/**
 * Sessions, access tokens and refresh-token rotation (SUPABASE_WIRE.md §A.2, §A.3, §A.9).
 */
import { randomInt, randomUUID } from 'node:crypto';
import type { TransactionSql } from 'postgres';
import { ACCESS_TOKEN_LIFETIME_SECONDS, type AuthContext } from './auth-context.ts';
import { AuthError } from './auth-errors.ts';
import { isBanned, loadUser, type User } from './auth-users.ts';

const ALPHANUMERIC = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

interface RefreshTokenRow {
	id: string;
	token: string;
	parent: string | null;
	revoked: boolean;
	session_id: string | null;
	updated_at: Date;
}

export interface SessionJson {
	access_token: string;
	token_type: 'bearer';
	expires_in: number;
	expires_at: number;
	refresh_token: string;
	user: User;
}

/** A new session for a user who just proved who they are (POST /verify). */
export async function startSession(
	ctx: AuthContext,
	tx: TransactionSql,
	user: User,
	method: string
): Promise<SessionJson> {
	const sessionId = randomUUID();

	await tx`
		insert into auth.sessions (id, user_id, created_at, updated_at, aal)
		values (${sessionId}, ${user.id}, now(), now(), 'aal1')
	`;
	await tx`
		insert into auth.mfa_amr_claims (id, session_id, authentication_method, created_at, updated_at)
		values (${randomUUID()}, ${sessionId}, ${method}, now(), now())
	`;
	const refreshToken = await insertRefreshToken(tx, user.id, sessionId, null);
	return sessionJson(ctx, tx, user, sessionId, refreshToken);
}

/**
 * `grant_type=refresh_token` with rotation. Parallel SSR requests refresh with the same token,
 * so a revoked token whose child is the session's active token returns that child, and one
 * revoked less than the reuse interval ago gets a new child; any other reuse is treated as
 * theft and revokes the whole session (committed, then refused), as GoTrue does.
 */
export async function refreshSession(ctx: AuthContext, token: string): Promise<SessionJson> {
	const outcome = await ctx.sql.begin(async (tx) => {
		const [current] = await tx<RefreshTokenRow[]>`
			select * from auth.refresh_tokens where token = ${token} for update
		`;
		if (!current) {
			throw new AuthError(
				400,
				'refresh_token_not_found',
				'Invalid Refresh Token: Refresh Token Not Found'
			);
		}

		const [session] = current.session_id
			? await tx<{ id: string; user_id: string; not_after: Date | null }[]>`
					select id, user_id, not_after from auth.sessions where id = ${current.session_id} for update
				`
			: [];
		if (!session) {
			throw new AuthError(
				400,
				'session_not_found',
				'Invalid Refresh Token: No Valid Session Found'
			);
		}
		if (session.not_after && session.not_after.getTime() < Date.now()) {
			throw new AuthError(400, 'session_expired', 'Invalid Refresh Token: Session Expired');
		}

		const user = await loadUser(tx, session.user_id);
		if (!user) {
			throw new AuthError(
				400,
				'session_not_found',
				'Invalid Refresh Token: No Valid Session Found'
			);
		}
		if (isBanned(user)) {
			throw new AuthError(400, 'user_banned', 'Invalid Refresh Token: User Banned');
		}

		let issued: string;
		if (current.revoked) {
			const [active] = await tx<RefreshTokenRow[]>`
				select * from auth.refresh_tokens
				where session_id = ${session.id} and not revoked
				order by id desc
				limit 1
			`;
			const reuseEndsAt =
				current.updated_at.getTime() + ctx.refreshTokenReuseIntervalSeconds * 1000;

			if (active && active.parent === current.token) {
				issued = active.token;
			} else if (Date.now() < reuseEndsAt) {
				issued = await insertRefreshToken(tx, user.id, session.id, current.token);
			} else {
				await tx`update auth.refresh_tokens set revoked = true where session_id = ${session.id}`;
				return { reused: true as const };
			}
		} else {
			await tx`
				update auth.refresh_tokens set revoked = true, updated_at = now() where id = ${current.id}
			`;
			issued = await insertRefreshToken(tx, user.id, session.id, current.token);
		}

		await tx`
			update auth.sessions
			set refreshed_at = (now() at time zone 'utc'), updated_at = now()
			where id = ${session.id}
		`;
		return {
			reused: false as const,
			session: await sessionJson(ctx, tx, user, session.id, issued)
		};
	});

	if (outcome.reused) {
		throw new AuthError(400, 'refresh_token_already_used', 'Invalid Refresh Token: Already Used');
	}
	return outcome.session;
}

async function insertRefreshToken(
	tx: TransactionSql,
	userId: string,
	sessionId: string,
	parent: string | null
): Promise<string> {
	const token = Array.from({ length: 12 }, () => ALPHANUMERIC[randomInt(ALPHANUMERIC.length)]).join(
		''
	);
	await tx`
		insert into auth.refresh_tokens (
			instance_id, token, user_id, revoked, created_at, updated_at, parent, session_id
		)
		values (
			'00000000-0000-0000-0000-000000000000', ${token}, ${userId}, false, now(), now(),
			${parent}, ${sessionId}
		)
	`;
	return token;
}

async function sessionJson(
	ctx: AuthContext,
	tx: TransactionSql,
	user: User,
	sessionId: string,
	refreshToken: string
): Promise<SessionJson> {
	const amr = await tx<{ method: string; timestamp: number }[]>`
		select authentication_method as method, extract(epoch from created_at)::int as timestamp
		from auth.mfa_amr_claims
		where session_id = ${sessionId}
		order by created_at
	`;
	const iat = Math.floor(Date.now() / 1000);
	const exp = iat + ACCESS_TOKEN_LIFETIME_SECONDS;

	// The claims GoTrue puts in every access token (§A.3).
	const accessToken = await ctx.signer.signAccessToken({
		iss: `${ctx.apiUrl}/auth/v1`,
		sub: user.id,
		aud: 'authenticated',
		exp,
		iat,
		email: user.email,
		phone: typeof user.phone === 'string' ? user.phone : '',
		app_metadata: user.app_metadata,
		user_metadata: user.user_metadata,
		role: 'authenticated',
		aal: 'aal1',
		amr: amr.map(({ method, timestamp }) => ({ method, timestamp })),
		session_id: sessionId,
		is_anonymous: false
	});

	return {
		access_token: accessToken,
		token_type: 'bearer',
		expires_in: ACCESS_TOKEN_LIFETIME_SECONDS,
		expires_at: exp,
		refresh_token: refreshToken,
		user
	};
}
