/**
 * Auth (GoTrue) under /auth/v1: the subset Cuepoint uses (SUPABASE_WIRE.md §A, §E). Sign-in is
 * admin `generate_link` plus `POST /verify` with a token_hash, so PKCE is not implemented.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { JWTPayload } from 'jose';
import {
	adminCreateUser,
	adminDeleteUser,
	adminGetUser,
	adminListUsers,
	adminUpdateUser
} from './auth-admin.ts';
import type { AuthContext } from './auth-context.ts';
import { AuthError, OAuthError, sendAuthError, validationFailed } from './auth-errors.ts';
import { generateLink, verifyOtp } from './auth-links.ts';
import { refreshSession } from './auth-sessions.ts';
import { isBanned, loadUser } from './auth-users.ts';
import {
	bearerToken,
	BodyTooLargeError,
	InvalidJsonError,
	readJsonObject,
	sendJson
} from './http.ts';
import { verifyApiKey } from './jwt.ts';

// The gateway lets these through without an apikey (§0.3).
const OPEN_ROUTES = new Set(['/verify', '/callback', '/authorize', '/.well-known/jwks.json']);
const ADMIN_ROLES = new Set(['service_role', 'supabase_admin']);
const ADMIN_USER = /^\/admin\/users\/([^/]+)$/;

export type AuthHandler = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void>;

/** `url.pathname` is already relative to /auth/v1. */
export function createAuthHandler(ctx: AuthContext): AuthHandler {
	return async (req, res, url) => {
		try {
			if (OPEN_ROUTES.has(url.pathname) || (await checkApiKey(req, res, url))) {
				await route(ctx, req, res, url);
			}
		} catch (error) {
			sendAuthError(req, res, asAuthError(error));
		}
	};
}

/** The gateway's apikey check; answers the request itself when the key is missing or wrong. */
async function checkApiKey(req: IncomingMessage, res: ServerResponse, url: URL) {
	const header = req.headers.apikey;
	const key = (typeof header === 'string' ? header : undefined) ?? url.searchParams.get('apikey');

	if (!key) {
		sendJson(res, 401, {
			message: 'No API key found in request',
			hint: 'No `apikey` request header or url param was found.'
		});
		return false;
	}

	const valid = await verifyApiKey(key).then(
		() => true,
		() => false
	);
	if (!valid) {
		// NOTE: the platform gateway's wording for a wrong key is unconfirmed (§G).
		sendJson(res, 401, { message: 'Invalid authentication credentials' });
	}
	return valid;
}

async function route(ctx: AuthContext, req: IncomingMessage, res: ServerResponse, url: URL) {
	const { pathname: path, searchParams: query } = url;
	const method = req.method ?? 'GET';
	const adminUser = ADMIN_USER.exec(path);

	if (method === 'GET' && path === '/.well-known/jwks.json') {
		return sendJson(
			res,
			200,
			{ keys: [ctx.signer.publicJwk] },
			{ 'Cache-Control': 'public, max-age=600' }
		);
	}
	if (method === 'GET' && path === '/health') {
		return sendJson(res, 200, { name: 'GoTrue', description: 'Cuepoint local stack' });
	}
	if (method === 'POST' && path === '/verify') {
		return sendJson(res, 200, await verifyOtp(ctx, await readJsonObject(req)));
	}
	if (method === 'POST' && path === '/token') {
		return sendJson(res, 200, await refresh(ctx, req, query));
	}
	if (method === 'GET' && path === '/user') {
		return sendJson(res, 200, (await requireUser(ctx, req)).user);
	}
	if (method === 'POST' && path === '/logout') {
		await logout(ctx, req, query);
		res.writeHead(204).end();
		return;
	}

	if (path.startsWith('/admin/')) {
		await requireAdmin(ctx, req);

		if (method === 'POST' && path === '/admin/generate_link') {
			return sendJson(res, 200, await generateLink(ctx, await readJsonObject(req), query));
		}
		if (method === 'POST' && path === '/admin/users') {
			return sendJson(res, 200, await adminCreateUser(ctx, await readJsonObject(req)));
		}
		if (method === 'GET' && path === '/admin/users') {
			const { body, headers } = await adminListUsers(ctx, query);
			return sendJson(res, 200, body, headers);
		}
		if (adminUser && method === 'GET') {
			return sendJson(res, 200, await adminGetUser(ctx, adminUser[1]));
		}
		if (adminUser && method === 'PUT') {
			return sendJson(
				res,
				200,
				await adminUpdateUser(ctx, adminUser[1], await readJsonObject(req))
			);
		}
		if (adminUser && method === 'DELETE') {
			return sendJson(
				res,
				200,
				await adminDeleteUser(ctx, adminUser[1], await readJsonObject(req))
			);
		}
	}

	throw new AuthError(404, 'not_found', `${method} ${path} is not part of the local stack's Auth`);
}

async function refresh(ctx: AuthContext, req: IncomingMessage, query: URLSearchParams) {
	if (query.get('grant_type') !== 'refresh_token') {
		throw new AuthError(
			400,
			'unsupported_grant_type',
			'The local stack supports grant_type=refresh_token only'
		);
	}
	const body = await readJsonObject(req);
	if (typeof body.refresh_token !== 'string' || body.refresh_token === '') {
		throw new OAuthError('refresh_token required');
	}
	return refreshSession(ctx, body.refresh_token);
}

async function logout(ctx: AuthContext, req: IncomingMessage, query: URLSearchParams) {
	const scope = query.get('scope') ?? 'global';
	if (!['global', 'local', 'others'].includes(scope)) {
		throw validationFailed(`Unsupported logout scope "${scope}"`);
	}
	const { user, sessionId } = await requireUser(ctx, req, { allowBanned: true });

	if (scope === 'global') {
		await ctx.sql`delete from auth.sessions where user_id = ${user.id}`;
	} else if (scope === 'local') {
		await ctx.sql`delete from auth.sessions where id = ${sessionId}`;
	} else {
		await ctx.sql`delete from auth.sessions where user_id = ${user.id} and id <> ${sessionId}`;
	}
}

/** The user behind a Bearer access token, with GoTrue's refusals (§A.10). */
async function requireUser(
	ctx: AuthContext,
	req: IncomingMessage,
	options = { allowBanned: false }
) {
	const claims = await verifiedBearer(ctx, req);
	if (typeof claims.sub !== 'string') {
		throw new AuthError(403, 'bad_jwt', 'invalid claim: missing sub claim');
	}

	const user = await loadUser(ctx.sql, claims.sub);
	if (!user) {
		throw new AuthError(403, 'user_not_found', 'User from sub claim in JWT does not exist');
	}

	const sessionId = typeof claims.session_id === 'string' ? claims.session_id : null;
	const [session] = sessionId
		? await ctx.sql`select 1 from auth.sessions where id = ${sessionId}`
		: [];
	if (!session) {
		throw new AuthError(
			403,
			'session_not_found',
			'Session from session_id claim in JWT does not exist'
		);
	}
	if (!options.allowBanned && isBanned(user)) {
		throw new AuthError(403, 'user_banned', 'User is banned');
	}
	return { user, sessionId: sessionId as string };
}

async function requireAdmin(ctx: AuthContext, req: IncomingMessage) {
	const claims = await verifiedBearer(ctx, req);
	if (typeof claims.role !== 'string' || !ADMIN_ROLES.has(claims.role)) {
		throw new AuthError(403, 'not_admin', 'User not allowed');
	}
}

async function verifiedBearer(ctx: AuthContext, req: IncomingMessage): Promise<JWTPayload> {
	const token = bearerToken(req);
	if (!token) {
		throw new AuthError(401, 'no_authorization', 'This endpoint requires a valid Bearer token');
	}
	try {
		return await ctx.signer.verify(token);
	} catch (error) {
		const reason = error instanceof Error ? error.message : 'invalid token';
		throw new AuthError(
			403,
			'bad_jwt',
			`invalid JWT: unable to parse or verify signature, ${reason}`
		);
	}
}

function asAuthError(error: unknown): AuthError {
	if (error instanceof AuthError) {
		return error;
	}
	if (error instanceof InvalidJsonError) {
		return validationFailed(error.message);
	}
	if (error instanceof BodyTooLargeError) {
		return new AuthError(413, 'request_too_large', error.message);
	}
	throw error;
}
