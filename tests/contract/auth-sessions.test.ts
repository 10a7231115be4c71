/**
 * Sessions after sign-in: the access token's claims and JWKS, local verification by
 * getClaims, refresh-token rotation with GoTrue's reuse rules, and logout
 * (SUPABASE_WIRE.md §A.3, §A.9 to §A.12).
 */
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { describe, expect, it } from 'vitest';
import { anonClient, globalStack, signIn } from './clients.ts';

const stack = globalStack();

async function refresh(refreshToken: string) {
	return anonClient(stack).auth.refreshSession({ refresh_token: refreshToken });
}

describe('access tokens', () => {
	it('are ES256 with the claims GoTrue issues, valid for an hour', async () => {
		const { session, userId, email } = await signIn(stack);
		const header = decodeProtectedHeader(session.access_token);
		const claims = decodeJwt(session.access_token);

		expect(header).toMatchObject({ alg: 'ES256', typ: 'JWT' });
		expect(header.kid).toBeTruthy();
		expect(claims).toMatchObject({
			iss: `${stack.apiUrl}/auth/v1`,
			sub: userId,
			aud: 'authenticated',
			role: 'authenticated',
			email,
			phone: '',
			aal: 'aal1',
			is_anonymous: false,
			app_metadata: { provider: 'email', providers: ['email'] }
		});
		expect(claims.exp).toBe((claims.iat as number) + 3600);
		expect(claims.amr).toEqual([{ method: 'otp', timestamp: expect.any(Number) }]);
		expect(claims.session_id).toMatch(/^[0-9a-f-]{36}$/);
		expect(session).toMatchObject({
			token_type: 'bearer',
			expires_in: 3600,
			expires_at: claims.exp
		});
	});

	it('are published in the JWKS under their kid', async () => {
		const { session } = await signIn(stack);
		const response = await fetch(`${stack.apiUrl}/auth/v1/.well-known/jwks.json`);
		const { keys } = await response.json();

		expect(response.headers.get('cache-control')).toBe('public, max-age=600');
		expect(keys).toEqual([
			expect.objectContaining({
				kty: 'EC',
				crv: 'P-256',
				alg: 'ES256',
				use: 'sig',
				key_ops: ['verify'],
				kid: decodeProtectedHeader(session.access_token).kid
			})
		]);
		expect(keys[0].d).toBeUndefined();
	});

	it('are verified by getClaims locally, without asking the server for the user', async () => {
		const { client, requests, userId, session } = await signIn(stack);

		const { data, error } = await client.auth.getClaims();
		expect(error).toBeNull();
		expect(data?.claims.sub).toBe(userId);
		expect(requests.filter((url) => url.endsWith('/auth/v1/user'))).toEqual([]);

		// A forged payload under the real header and signature fails the local signature check.
		const [head, , signature] = session.access_token.split('.');
		const forged = Buffer.from(JSON.stringify({ ...decodeJwt(session.access_token), sub: 'x' }));
		const tampered = `${head}.${forged.toString('base64url')}.${signature}`;
		const refused = await client.auth.getClaims(tampered);
		expect(refused.error?.message).toBe('Invalid JWT signature');
		expect(requests.filter((url) => url.endsWith('/auth/v1/user'))).toEqual([]);
	});

	it('are accepted by GET /user with the session cookie of @supabase/ssr', async () => {
		const { client, userId } = await signIn(stack);
		const { data, error } = await client.auth.getUser();

		expect(error).toBeNull();
		expect(data.user?.id).toBe(userId);
		expect(data.user?.identities?.[0]).toMatchObject({ provider: 'email', user_id: userId });
	});
});

describe('refresh tokens', () => {
	it('rotate: each refresh returns a new refresh token and access token', async () => {
		const { session } = await signIn(stack);
		const { data, error } = await refresh(session.refresh_token);

		expect(error).toBeNull();
		expect(data.session?.refresh_token).not.toBe(session.refresh_token);
		expect(data.session?.access_token).not.toBe(session.access_token);
		expect(decodeJwt(data.session?.access_token ?? '').session_id).toBe(
			decodeJwt(session.access_token).session_id
		);
	});

	it('return the same active child when a rotated token is refreshed again', async () => {
		const { session } = await signIn(stack);
		const first = await refresh(session.refresh_token);
		const second = await refresh(session.refresh_token);

		expect(second.error).toBeNull();
		expect(second.data.session?.refresh_token).toBe(first.data.session?.refresh_token);
	});

	it('give parallel refreshes of one token (SSR requests) the same new session', async () => {
		const { session } = await signIn(stack);
		const results = await Promise.all(
			Array.from({ length: 5 }, () => refresh(session.refresh_token))
		);

		expect(results.map((result) => result.error)).toEqual([null, null, null, null, null]);
		expect(new Set(results.map((result) => result.data.session?.refresh_token)).size).toBe(1);
	});

	it('issue a session for an older token reused within the reuse interval', async () => {
		const { session } = await signIn(stack);
		const child = await refresh(session.refresh_token);
		const grandchild = await refresh(child.data.session?.refresh_token ?? '');
		expect(grandchild.error).toBeNull();

		const reused = await refresh(session.refresh_token);
		expect(reused.error).toBeNull();
		expect(reused.data.session?.refresh_token).toBeTruthy();
		expect(reused.data.session?.refresh_token).not.toBe(grandchild.data.session?.refresh_token);
	});

	it('refuse an unknown token', async () => {
		const { error } = await refresh('notarealtoken');
		expect(error).toMatchObject({ status: 400, code: 'refresh_token_not_found' });
	});
});

describe('logout', () => {
	it('ends the session: GET /user and refresh then refuse it', async () => {
		const { client, session } = await signIn(stack);
		expect((await client.auth.signOut()).error).toBeNull();

		const { error } = await anonClient(stack).auth.getUser(session.access_token);
		expect(error?.name).toBe('AuthSessionMissingError');
		expect((await refresh(session.refresh_token)).error?.code).toBe('refresh_token_not_found');
	});

	it('with scope others keeps the current session and ends the rest', async () => {
		const email = `others-${Date.now()}@contract.example`;
		const older = await signIn(stack, email);
		const current = await signIn(stack, email);

		expect((await current.client.auth.signOut({ scope: 'others' })).error).toBeNull();
		expect((await anonClient(stack).auth.getUser(current.session.access_token)).error).toBeNull();
		expect((await anonClient(stack).auth.getUser(older.session.access_token)).error?.name).toBe(
			'AuthSessionMissingError'
		);
	});
});
