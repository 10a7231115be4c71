/**
 * The service-only tables: service_role works with them as the outbox and link workers do,
 * and their checks hold (no one else reaches them at all; see visibility.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '#lib/server/db.ts';
import { connect, type Sql } from '../support/actors.ts';

let admin: Sql;
let db: Database;

beforeAll(() => {
	({ admin, db } = connect());
});

afterAll(async () => {
	await db.end();
	await admin.end();
});

function requestLink(nextPath: string | null) {
	return db.withService(
		(tx) => tx<{ id: string; email: string }[]>`
			insert into public.auth_link_requests (email, audience, next_path)
			values ('Someone@Example.com', 'portal', ${nextPath})
			returning id, email::text
		`
	);
}

describe('auth_link_requests', () => {
	it('records a request with a path and query under the portal', async () => {
		const [row] = await requestLink('/portal/deliverables/abc?from=email');

		expect(row.email).toBe('Someone@Example.com');
	});

	it('matches addresses case-insensitively (citext)', async () => {
		const [{ id }] = await requestLink(null);

		const rows = await db.withService(
			(tx) => tx`select id from public.auth_link_requests where email = 'someone@example.com'`
		);
		expect(rows.map((r) => r.id)).toContain(id);
	});

	it('refuses a next path that could leave the site (23514)', async () => {
		for (const path of ['//evil.example/portal', 'https://evil.example', '/portalx', '/admin']) {
			await expect(requestLink(path)).rejects.toMatchObject({ code: '23514' });
		}
	});
});

describe('email_outbox', () => {
	it('hands a due message to exactly one of two competing workers', async () => {
		const [{ id }] = await db.withService(
			(tx) => tx<{ id: string }[]>`
				insert into public.email_outbox (to_email, subject, html, text)
				values ('a@example.com', 'Your link', '<p>Hi</p>', 'Hi')
				returning id
			`
		);

		const claim = () =>
			db.withService(
				(tx) => tx<{ id: string }[]>`
					update public.email_outbox set status = 'sending', attempts = attempts + 1
					where id in (
						select id from public.email_outbox
						where status = 'pending' and id = ${id}
						for update skip locked
					)
					returning id
				`
			);
		const [first, second] = await Promise.all([claim(), claim()]);

		expect([...first, ...second]).toEqual([{ id }]);
	});

	it('refuses an unknown status (23514)', async () => {
		await expect(
			db.withService(
				(tx) => tx`
					insert into public.email_outbox (to_email, subject, html, text, status)
					values ('a@example.com', 'S', 'h', 't', 'lost')
				`
			)
		).rejects.toMatchObject({ code: '23514' });
	});
});
