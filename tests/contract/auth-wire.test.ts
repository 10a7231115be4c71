/**
 * The gateway and error conventions the clients depend on (SUPABASE_WIRE.md §0.3, §A.1), and
 * the admin user API (§A.13). Also: bad requests get clear answers and never take the
 * server down.
 */
import { describe, expect, it } from 'vitest';
import { adminClient, anonClient, globalStack, uniqueEmail } from './clients.ts';

const stack = globalStack();
const auth = `${stack.apiUrl}/auth/v1`;
const serviceHeaders = {
	apikey: stack.serviceRoleKey,
	authorization: `Bearer ${stack.serviceRoleKey}`,
	'x-supabase-api-version': '2024-01-01'
};

describe('the API gateway', () => {
	it('requires an apikey on Auth routes other than the open ones', async () => {
		const missing = await fetch(`${auth}/user`);
		expect(missing.status).toBe(401);
		expect(await missing.json()).toEqual({
			message: 'No API key found in request',
			hint: 'No `apikey` request header or url param was found.'
		});

		expect((await fetch(`${auth}/user`, { headers: { apikey: 'not-a-key' } })).status).toBe(401);
		expect((await fetch(`${auth}/.well-known/jwks.json`)).status).toBe(200);
	});

	it('answers CORS preflights and exposes the headers auth-js reads', async () => {
		const preflight = await fetch(`${auth}/token`, {
			method: 'OPTIONS',
			headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'POST' }
		});
		expect(preflight.status).toBe(204);
		expect(preflight.headers.get('access-control-allow-headers')).toContain(
			'x-supabase-api-version'
		);

		const response = await fetch(`${auth}/user`, { headers: { origin: 'http://localhost:5173' } });
		expect(response.headers.get('access-control-allow-origin')).toBe('*');
		expect(response.headers.get('access-control-expose-headers')).toContain(
			'X-Supabase-Api-Version'
		);
	});
});

describe('Auth errors', () => {
	it('carry code and message with the API version and error code headers', async () => {
		const response = await fetch(`${auth}/admin/users`, {
			method: 'POST',
			headers: serviceHeaders,
			body: '{"email": '
		});
		expect(response.status).toBe(400);
		expect(response.headers.get('x-supabase-api-version')).toBe('2024-01-01');
		expect(response.headers.get('x-sb-error-code')).toBe('validation_failed');
		expect(await response.json()).toEqual({
			code: 'validation_failed',
			message: expect.stringContaining('not valid JSON')
		});
	});

	it('keep the server answering after a run of malformed requests', async () => {
		const bodies = [
			'',
			'null',
			'[]',
			'"x"',
			'{"type": 5}',
			'{"email": {}}',
			'\u0000',
			'{'.repeat(50)
		];
		for (const path of [
			'/admin/generate_link',
			'/admin/users',
			'/verify',
			'/token?grant_type=refresh_token'
		]) {
			for (const body of bodies) {
				const response = await fetch(`${auth}${path}`, {
					method: 'POST',
					headers: serviceHeaders,
					body
				});
				expect(response.status).toBeGreaterThanOrEqual(400);
				expect(response.status).toBeLessThan(500);
			}
		}
		expect((await fetch(`${auth}/.well-known/jwks.json`)).status).toBe(200);
	});

	it('refuse admin calls made with the anon key', async () => {
		const { error } = await anonClient(stack).auth.admin.generateLink({
			type: 'magiclink',
			email: uniqueEmail('anon')
		});
		expect(error).toMatchObject({ status: 403, code: 'not_admin' });
	});
});

describe('admin users', () => {
	const admin = adminClient(stack);

	it('creates a confirmed user with metadata and refuses the same address twice', async () => {
		const email = uniqueEmail('created');
		const { data, error } = await admin.auth.admin.createUser({
			email,
			email_confirm: true,
			user_metadata: { display_name: 'Ada' },
			app_metadata: { plan: 'studio' }
		});
		expect(error).toBeNull();
		expect(data.user).toMatchObject({
			email,
			aud: 'authenticated',
			app_metadata: { plan: 'studio', provider: 'email', providers: ['email'] },
			user_metadata: { display_name: 'Ada', email, email_verified: true }
		});
		expect(data.user?.email_confirmed_at).toBeTruthy();

		const twice = await admin.auth.admin.createUser({ email });
		expect(twice.error).toMatchObject({ status: 422, code: 'email_exists' });
	});

	it('gets, updates with a shallow metadata merge, and deletes a user', async () => {
		const created = await admin.auth.admin.createUser({
			email: uniqueEmail('lifecycle'),
			user_metadata: { keep: 1, drop: 2 }
		});
		const id = created.data.user?.id ?? '';

		expect((await admin.auth.admin.getUserById(id)).data.user?.id).toBe(id);

		const updated = await admin.auth.admin.updateUserById(id, {
			user_metadata: { drop: null, added: 3 }
		});
		expect(updated.data.user?.user_metadata).toMatchObject({ keep: 1, added: 3 });
		expect(updated.data.user?.user_metadata).not.toHaveProperty('drop');

		const badBan = await admin.auth.admin.updateUserById(id, { ban_duration: 'forever' });
		expect(badBan.error).toMatchObject({ status: 400, code: 'validation_failed' });

		expect((await admin.auth.admin.deleteUser(id)).error).toBeNull();
		expect((await admin.auth.admin.getUserById(id)).error).toMatchObject({
			status: 404,
			code: 'user_not_found'
		});
	});
});
