/**
 * Team members' names reach a client only when the studio shows team names, and then only as
 * a comment's author label: never through a table, a stored field or another function. Every
 * table and function a contact may reach is swept, not a list of the ones known today.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, Tx } from '#lib/server/db.ts';
import { connect, type Sql } from '../support/actors.ts';
import { createWorkspace, type Workspace } from '../support/workspace.ts';

let admin: Sql;
let db: Database;
let hidden: Workspace;
let shown: Workspace;

beforeAll(async () => {
	({ admin, db } = connect());
	[hidden, shown] = await Promise.all([createWorkspace(admin), createWorkspace(admin)]);
	await admin`
		update public.org_branding set show_team_names = true where org_id = ${shown.world.orgId}
	`;
});

afterAll(async () => {
	await db.end();
	await admin.end();
});

function teamNames(ws: Workspace) {
	return [ws.world.producer.displayName, ws.producer.displayName, ws.orgAdmin.displayName];
}

/** Every row of every table the contact may read, as text. */
async function everythingReadable(tx: Tx) {
	const tables = await tx<{ name: string }[]>`
		select format('%I.%I', n.nspname, c.relname) as name
		from pg_class c
		join pg_namespace n on n.oid = c.relnamespace
		where n.nspname in ('public', 'storage', 'realtime') and c.relkind in ('r', 'p', 'v', 'm')
			and has_table_privilege(c.oid, 'select')
	`;
	const texts = [];
	for (const { name } of tables) {
		const rows = await tx.unsafe<{ row: string }[]>(`select t::text as row from ${name} t`);
		texts.push(...rows.map((r) => r.row));
	}
	return texts.join('\n');
}

/** What every argument-less or comment-id function the contact may execute answers. */
async function everyFunctionAnswer(tx: Tx, commentIds: string[]) {
	const functions = await tx<{ name: string; args: string }[]>`
		select format('%I.%I', n.nspname, p.proname) as name, oidvectortypes(p.proargtypes) as args
		from pg_proc p
		join pg_namespace n on n.oid = p.pronamespace
		where n.nspname in ('public', 'private') and has_function_privilege(p.oid, 'execute')
			and p.provolatile <> 'v'
	`;
	const answers: Record<string, string> = {};
	for (const fn of functions) {
		const rows =
			fn.args === ''
				? await tx.unsafe<{ out: string }[]>(`select x::text as out from ${fn.name}() x`)
				: await tx.unsafe<{ out: string }[]>(
						`select ${fn.name}(id)::text as out from unnest($1::uuid[]) id`,
						[commentIds]
					);
		answers[fn.name] = rows.map((r) => r.out).join('\n');
	}
	return answers;
}

describe.for([
	['hidden', false],
	['shown', true]
] as const)('with team names %s', ([, show]) => {
	const ws = () => (show ? shown : hidden);

	it('reach no contact through any table', async () => {
		const { a } = ws().world;

		for (const contact of [a.contact, a.fellow]) {
			const text = await db.withUser(contact.claims, everythingReadable);

			expect(text).toContain(a.name);
			for (const name of teamNames(ws())) {
				expect(text).not.toContain(name);
			}
		}
	});

	it(`reach a contact ${show ? 'only' : 'not even'} through the author label`, async () => {
		const { a } = ws().world;
		const answers = await db.withUser(a.contact.claims, (tx) =>
			everyFunctionAnswer(tx, Object.values(a.comments))
		);

		const naming = Object.entries(answers)
			.filter(([, text]) => teamNames(ws()).some((name) => text.includes(name)))
			.map(([fn]) => fn);
		expect(naming).toEqual(show ? ['public.comment_author_label'] : []);
	});
});
