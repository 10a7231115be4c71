/**
 * The permission matrix: every table in public, every operation, every actor. Each case runs in
 * a transaction that is rolled back, against one row of the studio's client A (or the studio
 * itself), and asserts exactly how it ends:
 *
 * - ok: one row comes back (`returning`) carrying what was asked for;
 * - none: a `using` filter hides the row, so nothing is read, changed or deleted;
 * - grant: refused by a missing grant (42501, permission denied);
 * - check: refused by a policy's `with check` (42501, row-level security).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, Tx } from '#lib/server/db.ts';
import { connect, sorted, type Actor, type Sql } from '../support/actors.ts';
import { assertOutcome, attempt, type Expect, type Outcome } from '../support/attempt.ts';
import { createWorkspace, type Workspace } from '../support/workspace.ts';

let admin: Sql;
let db: Database;
let ws: Workspace;
let outboxId: string;
let linkRequestId: string;

beforeAll(async () => {
	({ admin, db } = connect());
	ws = await createWorkspace(admin);
	[{ id: outboxId }] = await admin<{ id: string }[]>`
		insert into public.email_outbox (to_email, subject, html, text)
		values ('a@example.com', 'Hello', '<p>Hi</p>', 'Hi') returning id
	`;
	[{ id: linkRequestId }] = await admin<{ id: string }[]>`
		insert into public.auth_link_requests (email, audience) values ('a@example.com', 'portal')
		returning id
	`;
});

afterAll(async () => {
	await db.end();
	await admin.end();
});

type Op = 'select' | 'insert' | 'update' | 'delete';
type Row = Record<string, unknown>;

const ACTORS = [
	'anon',
	'producer',
	'other studio',
	'admin',
	'contact',
	'other client',
	'revoked'
] as const;
type ActorName = (typeof ACTORS)[number];

/** Expectations in ACTORS order. */
type Line = [Expect, Expect, Expect, Expect, Expect, Expect, Expect];

interface Subject {
	table: string;
	/** What the row is, when a table has more than one subject. */
	label?: string;
	key: string;
	target: () => string;
	/** The row this actor would naturally insert: their own identity, client A's scope. */
	insert: (actor: ActorName) => Row;
	update: Row;
	expect: Record<Op, Line>;
}

const GRANT_ONLY: Line = ['grant', 'grant', 'grant', 'grant', 'grant', 'grant', 'grant'];
// Readable by the studio and by client A's active contact; nobody writes but service_role.
const CLIENT_READ: Line = ['grant', 'ok', 'none', 'ok', 'ok', 'none', 'none'];
const STUDIO_READ: Line = ['grant', 'ok', 'none', 'ok', 'none', 'none', 'none'];
const STUDIO_WRITE: Line = ['grant', 'ok', 'check', 'ok', 'check', 'check', 'check'];
const STUDIO_CHANGE: Line = ['grant', 'ok', 'none', 'ok', 'none', 'none', 'none'];
const ADMIN_WRITE: Line = ['grant', 'check', 'check', 'ok', 'check', 'check', 'check'];
const ADMIN_CHANGE: Line = ['grant', 'none', 'none', 'ok', 'none', 'none', 'none'];
const readOnly = (select: Line) => ({
	select,
	insert: GRANT_ONLY,
	update: GRANT_ONLY,
	delete: GRANT_ONLY
});

function actor(name: ActorName): Actor | null {
	const { world } = ws;
	const actors: Record<ActorName, Actor | null> = {
		anon: null,
		producer: ws.producer,
		'other studio': ws.outsider.producer,
		admin: ws.orgAdmin,
		contact: world.a.contact,
		'other client': world.b.contact,
		revoked: ws.revoked
	};
	return actors[name];
}

/** The caller's own membership (in whichever studio is theirs), if they have one. */
function memberIdOf(name: ActorName): string | null {
	if (name === 'producer') {
		return ws.producer.memberId;
	}
	if (name === 'admin') {
		return ws.orgAdmin.memberId;
	}
	return name === 'other studio' ? ws.outsider.producer.memberId : null;
}

function contactIdOf(name: ActorName): string | null {
	const contacts: Partial<Record<ActorName, string>> = {
		contact: ws.world.a.contact.contactId,
		'other client': ws.world.b.contact.contactId,
		revoked: ws.revoked.contactId
	};
	return contacts[name] ?? null;
}

const scopeA = () => ({ org_id: ws.world.orgId, client_id: ws.world.a.id });

/** A client-visible comment on client A's review version, as the actor themselves. */
function commentBy(name: ActorName): Row {
	return {
		version_id: ws.world.a.review.versionId,
		author_user_id: actor(name)?.userId ?? null,
		author_member_id: memberIdOf(name),
		author_contact_id: memberIdOf(name) ? null : contactIdOf(name),
		visibility: 'client',
		body: `A note from ${name}`
	};
}

const SUBJECTS: Subject[] = [
	{
		table: 'orgs',
		key: 'id',
		target: () => ws.world.orgId,
		insert: () => ({ name: 'Rival', slug: 'rival' }),
		update: { name: 'Renamed' },
		expect: readOnly(STUDIO_READ)
	},
	{
		table: 'org_members',
		key: 'id',
		target: () => ws.producer.memberId,
		insert: () => ({ org_id: ws.world.orgId, user_id: ws.world.a.contact.userId }),
		update: { role: 'owner' },
		expect: readOnly(STUDIO_READ)
	},
	{
		table: 'org_branding',
		key: 'org_id',
		target: () => ws.world.orgId,
		insert: () => ({ org_id: ws.outsider.orgId, display_name: 'Mine' }),
		update: { show_team_names: true },
		expect: {
			select: ['grant', 'ok', 'none', 'ok', 'ok', 'ok', 'none'],
			insert: GRANT_ONLY,
			update: ADMIN_CHANGE,
			delete: GRANT_ONLY
		}
	},
	{
		table: 'clients',
		key: 'id',
		target: () => ws.world.a.id,
		insert: () => ({ org_id: ws.world.orgId, name: 'Mine' }),
		update: { name: 'Renamed' },
		expect: readOnly(CLIENT_READ)
	},
	{
		table: 'client_contacts',
		key: 'id',
		target: () => ws.world.a.contact.contactId,
		insert: () => ({ ...scopeA(), email: 'me@example.com', full_name: 'Me' }),
		update: { revoked_at: null },
		expect: readOnly(CLIENT_READ)
	},
	{
		table: 'shows',
		key: 'id',
		target: () => ws.world.a.showId,
		insert: () => ({ ...scopeA(), title: 'Mine' }),
		update: { title: 'Renamed' },
		expect: readOnly(CLIENT_READ)
	},
	{
		table: 'episodes',
		key: 'id',
		target: () => ws.world.a.episodeId,
		insert: () => ({ ...scopeA(), show_id: ws.world.a.showId, title: 'Mine' }),
		update: { client_status: 'approved' },
		expect: readOnly(CLIENT_READ)
	},
	{
		table: 'deliverables',
		key: 'id',
		target: () => ws.world.a.review.deliverableId,
		insert: () => ({ ...scopeA(), episode_id: ws.world.a.episodeId, kind: 'other', title: 'x' }),
		update: { status: 'approved' },
		expect: readOnly(CLIENT_READ)
	},
	{
		table: 'deliverable_versions',
		key: 'id',
		target: () => ws.world.a.review.versionId,
		insert: () => ({ ...scopeA(), deliverable_id: ws.world.a.review.deliverableId, number: 9 }),
		update: { file_name: 'renamed.wav' },
		expect: readOnly(CLIENT_READ)
	},
	{
		table: 'comments',
		label: 'by the team',
		key: 'id',
		target: () => ws.world.a.comments.team,
		insert: commentBy,
		update: { body: 'Rewritten' },
		expect: {
			select: CLIENT_READ,
			insert: ['grant', 'ok', 'check', 'ok', 'ok', 'check', 'check'],
			// Written by the studio's owner: colleagues may resolve it, not rewrite it.
			update: ['grant', 'author', 'none', 'author', 'none', 'none', 'none'],
			// Soft deletion only (deleted_at): a comment may be evidence behind a decision.
			delete: GRANT_ONLY
		}
	},
	{
		table: 'comments',
		label: 'by the contact',
		key: 'id',
		target: () => ws.world.a.comments.contact,
		insert: commentBy,
		update: { body: 'Rewritten by its author' },
		expect: {
			select: CLIENT_READ,
			insert: ['grant', 'ok', 'check', 'ok', 'ok', 'check', 'check'],
			update: ['grant', 'author', 'none', 'author', 'ok', 'none', 'none'],
			delete: GRANT_ONLY
		}
	},
	{
		table: 'review_decisions',
		key: 'id',
		target: () => ws.world.a.decided.decisionId,
		insert: () => ({ ...scopeA(), version_id: ws.world.a.review.versionId, decision: 'approved' }),
		update: { decision: 'revision_requested' },
		expect: readOnly(CLIENT_READ)
	},
	{
		table: 'activity',
		key: 'id',
		target: () => ws.teamCommentActivityId,
		insert: () => ({ ...scopeA(), kind: 'fake', summary: 'Forged', client_visible: true }),
		update: { summary: 'Rewritten' },
		expect: readOnly(CLIENT_READ)
	},
	{
		table: 'email_outbox',
		key: 'id',
		target: () => outboxId,
		insert: () => ({ to_email: 'a@example.com', subject: 'x', html: 'x', text: 'x' }),
		update: { subject: 'Rewritten' },
		expect: readOnly(GRANT_ONLY)
	},
	{
		table: 'auth_link_requests',
		key: 'id',
		target: () => linkRequestId,
		insert: () => ({ email: 'a@example.com', audience: 'app' }),
		update: { outcome: 'sent' },
		expect: readOnly(GRANT_ONLY)
	},
	{
		table: 'pipeline_stages',
		key: 'id',
		target: () => ws.stages.unused,
		insert: () => ({
			org_id: ws.world.orgId,
			name: 'Mastering',
			position: 7,
			client_status: 'in_progress'
		}),
		update: { name: 'Renamed' },
		expect: {
			select: STUDIO_READ,
			insert: ADMIN_WRITE,
			update: ADMIN_CHANGE,
			delete: ADMIN_CHANGE
		}
	},
	{
		table: 'episode_workflow',
		key: 'id',
		target: () => ws.workflowId,
		insert: () => ({
			...scopeA(),
			episode_id: ws.spareEpisodeId,
			stage_id: ws.stages.editing,
			notes: 'Booked'
		}),
		update: { notes: 'Guest cancelled' },
		expect: {
			select: STUDIO_READ,
			insert: STUDIO_WRITE,
			update: STUDIO_CHANGE,
			delete: STUDIO_CHANGE
		}
	},
	{
		table: 'episode_costs',
		key: 'id',
		target: () => ws.costId,
		insert: () => ({
			...scopeA(),
			episode_id: ws.world.a.episodeId,
			description: 'Studio hire',
			amount_minor: '4000',
			currency: 'GBP'
		}),
		update: { amount_minor: '9900' },
		expect: {
			select: STUDIO_READ,
			insert: STUDIO_WRITE,
			update: STUDIO_CHANGE,
			delete: STUDIO_CHANGE
		}
	},
	{
		table: 'client_notes',
		key: 'id',
		target: () => ws.noteId,
		insert: (name) => ({ ...scopeA(), author_member_id: memberIdOf(name), body: 'Pays late' }),
		update: { body: 'Pays on time now' },
		expect: {
			select: STUDIO_READ,
			insert: STUDIO_WRITE,
			update: STUDIO_CHANGE,
			delete: STUDIO_CHANGE
		}
	},
	...(['contact', 'revoked', 'producer'] as const).map((recipient): Subject => ({
		table: 'notifications',
		label: `addressed to the ${recipient}`,
		key: 'id',
		target: () => ws.notifications[recipient],
		insert: () => ({
			org_id: ws.world.orgId,
			recipient_user_id: actor(recipient)?.userId,
			audience: 'team',
			activity_id: ws.teamCommentActivityId
		}),
		update: { read_at: '2026-12-04T12:00:00.000Z' },
		expect: {
			select: recipientOnly(recipient),
			insert: GRANT_ONLY,
			update: recipientOnly(recipient),
			delete: GRANT_ONLY
		}
	}))
];

/** Only the recipient, and only while their access is live: a revoked contact sees nothing. */
function recipientOnly(recipient: ActorName): Line {
	return ACTORS.map((name) => {
		if (name === 'anon') {
			return 'grant';
		}
		return name === recipient && recipient !== 'revoked' ? 'ok' : 'none';
	}) as Line;
}

/**
 * A refused insert runs without `returning`, so the insert policy's `with check` alone must
 * refuse it: with `returning`, the select policy would refuse the new row as well and hide an
 * insert policy that lets too much in.
 */
function run(subject: Subject, op: Op, name: ActorName, expected: Expect): Promise<Outcome> {
	const table = `public.${subject.table}`;
	const target = subject.target();

	return attempt(db, actor(name), async (tx: Tx) => {
		switch (op) {
			case 'select':
				return tx`select * from ${tx(table)} where ${tx(subject.key)} = ${target}`;
			case 'insert':
				if (expected !== 'ok') {
					await tx`insert into ${tx(table)} ${tx(subject.insert(name))}`;
					return [{ inserted: true }];
				}
				return tx`insert into ${tx(table)} ${tx(subject.insert(name))} returning *`;
			case 'update':
				return tx`
					update ${tx(table)} set ${tx(subject.update)} where ${tx(subject.key)} = ${target}
					returning *
				`;
			case 'delete':
				return tx`delete from ${tx(table)} where ${tx(subject.key)} = ${target} returning *`;
		}
	});
}

/** What the returned row must carry for an allowed case. */
function expectedRow(subject: Subject, op: Op, name: ActorName): Row {
	if (op === 'insert') {
		return subject.insert(name);
	}
	return op === 'update'
		? { [subject.key]: subject.target(), ...subject.update }
		: { [subject.key]: subject.target() };
}

const OPS: Op[] = ['select', 'insert', 'update', 'delete'];

/** Which rows are client A's (or the studio's, for studio-level tables). */
function scopeOf(table: string): [column: string, value: string] {
	const { world } = ws;
	if (table === 'orgs') {
		return ['id', world.orgId];
	}
	if (table === 'clients') {
		return ['id', world.a.id];
	}
	const orgLevel = ['org_members', 'org_branding', 'pipeline_stages', 'activity', 'notifications'];
	return orgLevel.includes(table) ? ['org_id', world.orgId] : ['client_id', world.a.id];
}

/** Client A's rows of `table` as one text, read as service_role, then back to no role. */
async function snapshot(tx: Tx, table: string) {
	const [column, value] = scopeOf(table);
	await tx`select set_config('role', 'service_role', true)`;
	const [row] = await tx<{ rows: string | null }[]>`
		select string_agg(t::text, ',' order by t::text) as rows from ${tx(`public.${table}`)} t
		where ${tx(column)} = ${value}
	`;
	return row.rows;
}

describe('the permission matrix', () => {
	it('covers every table in public', async () => {
		const tables = await admin<{ name: string }[]>`
			select c.relname as name
			from pg_class c
			join pg_namespace n on n.oid = c.relnamespace
			where n.nspname = 'public' and c.relkind in ('r', 'p', 'v', 'm', 'f')
		`;

		expect(sorted([...new Set(SUBJECTS.map((s) => s.table))])).toEqual(
			sorted(tables.map((t) => t.name))
		);
	});

	describe.for(SUBJECTS.map((s) => [`${s.table}${s.label ? ` ${s.label}` : ''}`, s] as const))(
		'%s',
		([, subject]) => {
			describe.for(OPS)('%s', (op) => {
				it.for(ACTORS.map((name, i) => [name, subject.expect[op][i]] as const))(
					'as %s: %s',
					async ([name, expected]) => {
						const outcome = await run(subject, op, name, expected);

						assertOutcome(outcome, expected, expectedRow(subject, op, name));
					}
				);
			});
		}
	);

	// A `where` makes Postgres apply the select policy too, which could hide an update or
	// delete policy that is too wide. Without one, only that policy decides: an actor who may
	// change no row of a table must leave client A's (or the studio's) rows as they were,
	// compared before and after as service_role inside the same rolled-back transaction.
	describe.for([...new Set(SUBJECTS.map((s) => s.table))])('%s without a where clause', (table) => {
		const subjects = () => SUBJECTS.filter((s) => s.table === table);

		describe.for(['update', 'delete'] as const)('%s', (op) => {
			const lineOf = (name: ActorName) => subjects().map((s) => s.expect[op][ACTORS.indexOf(name)]);
			const mayChangeNothing = ACTORS.filter((name) =>
				lineOf(name).every((line) => line === 'none' || line === 'grant')
			);

			it.for(mayChangeNothing)('as %s changes nothing', async (name) => {
				const lines = lineOf(name);
				const refused = lines.every((line) => line === 'grant');
				const outcome = await attempt(db, actor(name), async (tx) => {
					const before = refused ? null : await snapshot(tx, table);
					await tx`select set_config('role', ${name === 'anon' ? 'anon' : 'authenticated'}, true)`;
					if (op === 'update') {
						await tx`update ${tx(`public.${table}`)} set ${tx(subjects()[0].update)}`;
					} else {
						await tx`delete from ${tx(`public.${table}`)}`;
					}
					return [{ unchanged: (await snapshot(tx, table)) === before }];
				});

				if (refused) {
					assertOutcome(outcome, 'grant', {});
				} else {
					expect(outcome).toEqual({ rows: [{ unchanged: true }] });
				}
			});
		});
	});
});
