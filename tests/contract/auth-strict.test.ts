/**
 * The rules that depend on time, without waiting: a second stack with a 60 s link lifetime and
 * no refresh reuse interval, and links backdated through the superuser connection.
 */
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../../supabase/local/stack.ts';
import { startTestStack } from '../support/stack.ts';
import { anonClient, issueLink, signIn, ssrClient, uniqueEmail } from './clients.ts';

let stack: Stack;
let sql: postgres.Sql;

beforeAll(async () => {
	stack = await startTestStack({ otpExpirySeconds: 60, refreshTokenReuseIntervalSeconds: 0 });
	sql = postgres(stack.superuserUrl, { max: 1 });
});

afterAll(async () => {
	await sql?.end();
	await stack?.stop();
});

describe('a stack started with otpExpirySeconds', () => {
	it('tells the app the lifetime it was given', () => {
		expect(stack.otpExpirySeconds).toBe(60);
		expect(stack.appEnv.AUTH_OTP_EXPIRY_SECONDS).toBe('60');
	});

	it('refuses a link sent longer ago than that', async () => {
		const link = await issueLink(stack, uniqueEmail('short'));
		await sql`
			update auth.users set confirmation_sent_at = now() - interval '61 seconds'
			where id = ${link.userId}
		`;

		const { data, error } = await ssrClient(stack).client.auth.verifyOtp({
			token_hash: link.tokenHash,
			type: link.type
		});
		expect(data.session).toBeNull();
		expect(error).toMatchObject({ status: 403, code: 'otp_expired' });
	});
});

describe('a stack without a refresh reuse interval', () => {
	it('revokes the whole session when a rotated refresh token is reused', async () => {
		const refresh = (token: string) =>
			anonClient(stack).auth.refreshSession({ refresh_token: token });
		const { session } = await signIn(stack);
		const child = await refresh(session.refresh_token);
		const grandchild = await refresh(child.data.session?.refresh_token ?? '');
		expect(grandchild.error).toBeNull();

		const reused = await refresh(session.refresh_token);
		expect(reused.data.session).toBeNull();
		expect(reused.error).toMatchObject({
			status: 400,
			code: 'refresh_token_already_used',
			message: 'Invalid Refresh Token: Already Used'
		});

		// The newest token of that session died with it.
		const newest = await refresh(grandchild.data.session?.refresh_token ?? '');
		expect(newest.error?.code).toBe('refresh_token_already_used');
	});
});
