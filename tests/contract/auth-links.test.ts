/**
 * Magic links as Cuepoint uses them: admin generateLink issues a token hash, the app's
 * /auth/confirm spends it with verifyOtp on an @supabase/ssr client (SUPABASE_WIRE.md §A.7,
 * §A.13, §A.14).
 */
import { createHash } from 'node:crypto';
import postgres from 'postgres';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { adminClient, globalStack, issueLink, ssrClient, uniqueEmail } from './clients.ts';

const stack = globalStack();
const sql = postgres(inject('superuserUrl'), { max: 1 });

afterAll(() => sql.end());

/** Moves a user's link back in time instead of waiting for it to age. */
async function ageLink(userId: string, seconds: number) {
	await sql`
		update auth.users
		set confirmation_sent_at = now() - make_interval(secs => ${seconds}),
			recovery_sent_at = now() - make_interval(secs => ${seconds})
		where id = ${userId}
	`;
}

describe('magic links', () => {
	it('creates an unknown address as a signup and hashes the code with the email', async () => {
		const email = uniqueEmail('new');
		const { data, error } = await adminClient(stack).auth.admin.generateLink({
			type: 'magiclink',
			email: email.toUpperCase(),
			options: { redirectTo: 'https://evil.example/steal' }
		});

		expect(error).toBeNull();
		expect(data.user?.email).toBe(email);
		expect(data.user?.email_confirmed_at).toBeUndefined();
		expect(data.properties?.verification_type).toBe('signup');
		expect(data.properties?.email_otp).toMatch(/^\d{6}$/);
		expect(data.properties?.hashed_token).toBe(
			createHash('sha224').update(`${email}${data.properties?.email_otp}`).digest('hex')
		);
		// A foreign redirect silently becomes the site URL.
		expect(data.properties?.redirect_to).toBe('http://localhost:5173');
	});

	it('issues a magiclink for an address that already has a user', async () => {
		const email = uniqueEmail('known');
		await issueLink(stack, email);

		expect((await issueLink(stack, email)).type).toBe('magiclink');
	});

	it('signs in once per link and refuses the second use', async () => {
		const link = await issueLink(stack, uniqueEmail('once'));
		const first = ssrClient(stack);

		const signedIn = await first.client.auth.verifyOtp({
			token_hash: link.tokenHash,
			type: 'email'
		});
		expect(signedIn.error).toBeNull();
		expect(signedIn.data.session?.user.id).toBe(link.userId);
		expect(signedIn.data.session?.user.email_confirmed_at).toBeTruthy();
		expect([...first.jar.keys()]).toEqual(['sb-127-auth-token']);

		const again = await ssrClient(stack).client.auth.verifyOtp({
			token_hash: link.tokenHash,
			type: 'email'
		});
		expect(again.data.session).toBeNull();
		expect(again.error).toMatchObject({
			status: 403,
			code: 'otp_expired',
			message: 'Email link is invalid or has expired'
		});
	});

	it('refuses a link once a newer one was issued for the same address', async () => {
		const email = uniqueEmail('replaced');
		await issueLink(stack, email);
		const older = await issueLink(stack, email);
		const newer = await issueLink(stack, email);

		const replaced = await ssrClient(stack).client.auth.verifyOtp({
			token_hash: older.tokenHash,
			type: older.type
		});
		expect(replaced.error?.code).toBe('otp_expired');

		const current = await ssrClient(stack).client.auth.verifyOtp({
			token_hash: newer.tokenHash,
			type: newer.type
		});
		expect(current.error).toBeNull();
		expect(current.data.session?.user.email).toBe(email);
	});

	it('refuses a signup link verified as a magiclink', async () => {
		const link = await issueLink(stack, uniqueEmail('type'));
		expect(link.type).toBe('signup');

		const { error } = await ssrClient(stack).client.auth.verifyOtp({
			token_hash: link.tokenHash,
			type: 'magiclink'
		});
		expect(error?.code).toBe('otp_expired');
	});

	it('accepts the six-digit code with the email as well', async () => {
		const email = uniqueEmail('code');
		const link = await issueLink(stack, email);

		const { data, error } = await ssrClient(stack).client.auth.verifyOtp({
			email,
			token: link.otp,
			type: 'email'
		});
		expect(error).toBeNull();
		expect(data.session?.user.id).toBe(link.userId);
	});

	it('refuses a banned user, and lets them in again once the ban is lifted', async () => {
		const email = uniqueEmail('banned');
		const admin = adminClient(stack);
		const { tokenHash, userId } = await issueLink(stack, email);
		const ban = await admin.auth.admin.updateUserById(userId, { ban_duration: '24h' });
		expect(Date.parse(ban.data.user?.banned_until ?? '')).toBeGreaterThan(Date.now());

		const refused = await ssrClient(stack).client.auth.verifyOtp({
			token_hash: tokenHash,
			type: 'email'
		});
		expect(refused.error).toMatchObject({ status: 403, code: 'user_banned' });

		await admin.auth.admin.updateUserById(userId, { ban_duration: 'none' });
		const allowed = await ssrClient(stack).client.auth.verifyOtp({
			token_hash: tokenHash,
			type: 'email'
		});
		expect(allowed.error).toBeNull();
	});

	it('works for 15 minutes (supabase/config.toml) and is refused after that', async () => {
		const fresh = await issueLink(stack, uniqueEmail('aging'));
		await ageLink(fresh.userId, 899);
		const inTime = await ssrClient(stack).client.auth.verifyOtp({
			token_hash: fresh.tokenHash,
			type: fresh.type
		});
		expect(inTime.error).toBeNull();

		const stale = await issueLink(stack, uniqueEmail('aged'));
		await ageLink(stale.userId, 901);
		const late = await ssrClient(stack).client.auth.verifyOtp({
			token_hash: stale.tokenHash,
			type: stale.type
		});
		expect(late.error).toMatchObject({
			status: 403,
			code: 'otp_expired',
			message: 'Email link is invalid or has expired'
		});
	});
});
