/**
 * Email links: admin `generate_link` issues them, `POST /verify` spends them
 * (SUPABASE_WIRE.md §A.7, §A.13, §A.14). One token per user and type, replaced by each new
 * link; spending one deletes all of the user's tokens, so every link works once.
 */
import { createHash, randomInt } from 'node:crypto';
import type { TransactionSql } from 'postgres';
import { z } from 'zod';
import type { AuthContext } from './auth-context.ts';
import { AuthError, parseBody, userNotFound, validationFailed } from './auth-errors.ts';
import { startSession, type SessionJson } from './auth-sessions.ts';
import { safeRedirect } from './auth-redirects.ts';
import {
	confirmEmail,
	createUser,
	findUserIdByEmail,
	isBanned,
	loadUser,
	normaliseEmail,
	type User
} from './auth-users.ts';

type TokenType = 'confirmation_token' | 'recovery_token';

const generateLinkBody = z.object({
	type: z.enum(['magiclink', 'recovery', 'invite', 'signup']),
	email: z.string(),
	data: z.record(z.string(), z.unknown()).optional(),
	redirect_to: z.string().optional()
});

const verifyBody = z.object({
	type: z.enum(['email', 'magiclink', 'recovery', 'signup', 'invite']),
	token_hash: z.string().min(1).optional(),
	token: z.string().min(1).optional(),
	email: z.string().optional(),
	phone: z.string().optional(),
	redirect_to: z.string().optional()
});

const TOKEN_TYPES: Record<z.infer<typeof verifyBody>['type'], TokenType[]> = {
	email: ['confirmation_token', 'recovery_token'],
	magiclink: ['recovery_token'],
	recovery: ['recovery_token'],
	signup: ['confirmation_token'],
	invite: ['confirmation_token']
};

export async function generateLink(
	ctx: AuthContext,
	rawBody: Record<string, unknown>,
	query: URLSearchParams
): Promise<Record<string, unknown>> {
	const body = parseBody(generateLinkBody, rawBody);
	if (body.type === 'signup') {
		throw validationFailed('The local stack issues magiclink, recovery and invite links only');
	}
	const email = normaliseEmail(body.email);
	const redirectTo = safeRedirect(ctx.siteUrl, query.get('redirect_to') ?? body.redirect_to);
	const otp = String(randomInt(1_000_000)).padStart(6, '0');
	const hashedToken = createHash('sha224')
		.update(email + otp)
		.digest('hex');

	const { user, verificationType } = await ctx.sql.begin(async (tx) => {
		let userId = await findUserIdByEmail(tx, email);
		let verificationType: string = body.type;

		if (!userId && body.type === 'recovery') {
			throw userNotFound();
		}
		if (userId && body.type === 'invite' && (await loadUser(tx, userId))?.email_confirmed_at) {
			throw new AuthError(
				422,
				'email_exists',
				'A user with this email address has already been registered'
			);
		}
		if (!userId) {
			// An unknown address turns a magic link into a signup (§A.13).
			verificationType = body.type === 'invite' ? 'invite' : 'signup';
			userId = await createUser(tx, {
				email,
				confirmed: false,
				invited: body.type === 'invite',
				userMetadata: body.data
			});
		}

		const tokenType: TokenType =
			verificationType === 'signup' || verificationType === 'invite'
				? 'confirmation_token'
				: 'recovery_token';
		await replaceToken(tx, userId, tokenType, hashedToken, email);

		return { user: (await loadUser(tx, userId)) as User, verificationType };
	});

	const actionLink = new URL(`${ctx.apiUrl}/auth/v1/verify`);
	actionLink.search = new URLSearchParams({
		token: hashedToken,
		type: verificationType,
		redirect_to: redirectTo
	}).toString();

	return {
		...user,
		action_link: actionLink.toString(),
		email_otp: otp,
		hashed_token: hashedToken,
		verification_type: verificationType,
		redirect_to: redirectTo
	};
}

export async function verifyOtp(
	ctx: AuthContext,
	rawBody: Record<string, unknown>
): Promise<SessionJson> {
	const body = parseBody(verifyBody, rawBody);
	const byHash = body.token_hash !== undefined;

	if (byHash === (body.token !== undefined)) {
		throw validationFailed('Verify requires either a token or a token hash');
	}
	if (byHash && (body.email !== undefined || body.phone !== undefined || body.redirect_to)) {
		throw validationFailed('Only the token_hash and type should be provided');
	}

	const email = byHash ? null : normaliseEmail(body.email);
	const tokenHash =
		body.token_hash ?? createHash('sha224').update(`${email}${body.token}`).digest('hex');
	const refused = new AuthError(
		403,
		'otp_expired',
		byHash ? 'Email link is invalid or has expired' : 'Token has expired or is invalid'
	);

	return ctx.sql.begin(async (tx) => {
		const [token] = await tx<{ user_id: string; token_type: TokenType; sent_at: Date | null }[]>`
			select t.user_id, t.token_type,
				case t.token_type
					when 'recovery_token' then u.recovery_sent_at else u.confirmation_sent_at end as sent_at
			from auth.one_time_tokens t
			join auth.users u on u.id = t.user_id
			where t.token_hash = ${tokenHash.replace(/^pkce_/, '')}
				and t.token_type::text = any (${TOKEN_TYPES[body.type]}::text[])
				and (${email}::text is null or t.relates_to = ${email}::text)
			for update of t, u
		`;

		// Expiry is `now > sent_at + otp_expiry` (§A.14).
		if (!token?.sent_at || Date.now() > token.sent_at.getTime() + ctx.otpExpirySeconds * 1000) {
			throw refused;
		}

		const user = await loadUser(tx, token.user_id);
		if (!user) {
			throw refused;
		}
		if (isBanned(user)) {
			throw new AuthError(403, 'user_banned', 'User is banned');
		}

		await tx`delete from auth.one_time_tokens where user_id = ${user.id}`;
		await tx`
			update auth.users
			set confirmation_token = '', recovery_token = '', last_sign_in_at = now(), updated_at = now()
			where id = ${user.id}
		`;
		await tx`
			update auth.identities set last_sign_in_at = now() where user_id = ${user.id}
		`;
		await confirmEmail(tx, user.id);

		return startSession(ctx, tx, (await loadUser(tx, user.id)) as User, 'otp');
	});
}

async function replaceToken(
	tx: TransactionSql,
	userId: string,
	tokenType: TokenType,
	hashedToken: string,
	email: string
) {
	await tx`delete from auth.one_time_tokens where user_id = ${userId} and token_type = ${tokenType}`;
	await tx`
		insert into auth.one_time_tokens (id, user_id, token_type, token_hash, relates_to)
		values (gen_random_uuid(), ${userId}, ${tokenType}, ${hashedToken}, ${email})
	`;

	if (tokenType === 'recovery_token') {
		await tx`
			update auth.users set recovery_token = ${hashedToken}, recovery_sent_at = now()
			where id = ${userId}
		`;
	} else {
		await tx`
			update auth.users set confirmation_token = ${hashedToken}, confirmation_sent_at = now()
			where id = ${userId}
		`;
	}
}
