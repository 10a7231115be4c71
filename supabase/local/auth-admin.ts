/**
 * The admin user API under /auth/v1/admin/users (SUPABASE_WIRE.md §A.13). Callers have
 * already been checked for the service_role key.
 */
import { z } from 'zod';
import type { AuthContext } from './auth-context.ts';
import { AuthError, parseBody, userNotFound, validationFailed } from './auth-errors.ts';
import {
	createUser,
	findUserIdByEmail,
	loadUser,
	mergeMetadata,
	normaliseEmail,
	type User
} from './auth-users.ts';

const metadata = z.record(z.string(), z.unknown());

const createBody = z.object({
	email: z.string(),
	email_confirm: z.boolean().optional(),
	password: z.string().min(1).optional(),
	app_metadata: metadata.optional(),
	user_metadata: metadata.optional(),
	ban_duration: z.string().optional(),
	id: z.uuid().optional()
});

const updateBody = z.object({
	email: z.string().optional(),
	email_confirm: z.boolean().optional(),
	password: z.string().min(1).optional(),
	app_metadata: metadata.optional(),
	user_metadata: metadata.optional(),
	ban_duration: z.string().optional()
});

const deleteBody = z.object({ should_soft_delete: z.boolean().optional() });

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const emailExists = () =>
	new AuthError(422, 'email_exists', 'A user with this email address has already been registered');

export async function adminCreateUser(ctx: AuthContext, raw: Record<string, unknown>) {
	const body = parseBody(createBody, raw);
	const email = normaliseEmail(body.email);
	const bannedUntil = body.ban_duration ? banEnd(body.ban_duration) : null;

	return ctx.sql.begin(async (tx) => {
		if (await findUserIdByEmail(tx, email)) {
			throw emailExists();
		}
		const id = await createUser(tx, {
			id: body.id,
			email,
			confirmed: body.email_confirm ?? false,
			password: body.password,
			appMetadata: body.app_metadata,
			userMetadata: body.user_metadata
		});
		if (bannedUntil) {
			await tx`update auth.users set banned_until = ${bannedUntil}::timestamptz where id = ${id}`;
		}
		return (await loadUser(tx, id)) as User;
	});
}

export async function adminGetUser(ctx: AuthContext, id: string): Promise<User> {
	const user = UUID.test(id) ? await loadUser(ctx.sql, id) : null;
	if (!user) {
		throw UUID.test(id)
			? userNotFound()
			: new AuthError(404, 'validation_failed', 'Invalid user id');
	}
	return user;
}

export async function adminUpdateUser(ctx: AuthContext, id: string, raw: Record<string, unknown>) {
	const body = parseBody(updateBody, raw);
	const current = await adminGetUser(ctx, id);
	const email = body.email === undefined ? undefined : normaliseEmail(body.email);
	const bannedUntil = body.ban_duration === undefined ? undefined : banEnd(body.ban_duration);

	return ctx.sql.begin(async (tx) => {
		if (email !== undefined && email !== current.email) {
			if (await findUserIdByEmail(tx, email)) {
				throw emailExists();
			}
			await tx`update auth.users set email = ${email} where id = ${id}`;
		}
		if (body.app_metadata) {
			const merged = mergeMetadata(current.app_metadata, body.app_metadata);
			await tx`update auth.users set raw_app_meta_data = ${tx.json(merged)}::jsonb where id = ${id}`;
		}
		if (body.user_metadata) {
			const merged = mergeMetadata(current.user_metadata, body.user_metadata);
			await tx`update auth.users set raw_user_meta_data = ${tx.json(merged)}::jsonb where id = ${id}`;
		}
		if (bannedUntil !== undefined) {
			await tx`update auth.users set banned_until = ${bannedUntil}::timestamptz where id = ${id}`;
		}
		if (body.email_confirm === true) {
			await tx`update auth.users set email_confirmed_at = coalesce(email_confirmed_at, now()) where id = ${id}`;
		}
		if (body.password) {
			await tx`
				update auth.users
				set encrypted_password = extensions.crypt(${body.password}, extensions.gen_salt('bf'))
				where id = ${id}
			`;
		}
		await tx`update auth.users set updated_at = now() where id = ${id}`;
		return (await loadUser(tx, id)) as User;
	});
}

export async function adminDeleteUser(ctx: AuthContext, id: string, raw: Record<string, unknown>) {
	const body = parseBody(deleteBody, raw);
	await adminGetUser(ctx, id);

	if (body.should_soft_delete) {
		throw validationFailed('The local stack does not support soft deletes');
	}

	try {
		// Cascades to identities, sessions, refresh tokens and one-time tokens.
		await ctx.sql`delete from auth.users where id = ${id}`;
	} catch (error) {
		// Rows of the app that still reference the user (foreign keys) refuse it, as on GoTrue.
		if ((error as { code?: string }).code === '23503') {
			throw new AuthError(500, 'unexpected_failure', 'Database error deleting user');
		}
		throw error;
	}
	return {};
}

export async function adminListUsers(ctx: AuthContext, query: URLSearchParams) {
	const page = Math.max(1, Number.parseInt(query.get('page') || '1', 10) || 1);
	const perPage = Math.min(
		1000,
		Math.max(1, Number.parseInt(query.get('per_page') || '50', 10) || 50)
	);

	const [{ total }] = await ctx.sql<
		{ total: number }[]
	>`select count(*)::int as total from auth.users`;
	const ids = await ctx.sql<{ id: string }[]>`
		select id from auth.users order by created_at desc limit ${perPage} offset ${(page - 1) * perPage}
	`;
	const users = await Promise.all(ids.map(({ id }) => loadUser(ctx.sql, id)));

	// auth-js parses this header naively: `page` first, entries joined by ", " (§A.13).
	const lastPage = Math.max(1, Math.ceil(total / perPage));
	const links = [];
	if (page < lastPage) {
		links.push(`</admin/users?page=${page + 1}&per_page=${perPage}>; rel="next"`);
	}
	links.push(`</admin/users?page=${lastPage}&per_page=${perPage}>; rel="last"`);

	return {
		body: { users: users.filter(Boolean), aud: 'authenticated' },
		headers: { 'X-Total-Count': String(total), Link: links.join(', ') }
	};
}

/** `ban_duration` is a Go duration ("24h", "1h30m") or "none" to lift the ban. */
function banEnd(duration: string): string | null {
	if (duration === 'none') {
		return null;
	}

	const units: Record<string, number> = {
		ns: 1e-6,
		us: 1e-3,
		µs: 1e-3,
		ms: 1,
		s: 1e3,
		m: 6e4,
		h: 3.6e6
	};
	const parts = [...duration.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)];
	if (parts.length === 0 || parts.map((part) => part[0]).join('') !== duration) {
		throw validationFailed(`invalid format for ban duration: ${duration}`);
	}

	const milliseconds = parts.reduce(
		(sum, [, amount, unit]) => sum + Number(amount) * units[unit],
		0
	);
	return new Date(Date.now() + milliseconds).toISOString();
}
