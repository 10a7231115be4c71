/**
 * Realtime: who may join which private topic (Realtime reads realtime.messages as the user
 * with realtime.topic() set), and what the database broadcasts: kind and ids, on the topics
 * whose members may read the row. Also the notifications that broadcasts point at.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '#lib/server/db.ts';
import { connect, type Actor, type Sql } from '../support/actors.ts';
import { attempt } from '../support/attempt.ts';
import { createWorkspace, type Workspace } from '../support/workspace.ts';

let admin: Sql;
let db: Database;
let ws: Workspace;

beforeAll(async () => {
	({ admin, db } = connect());
	ws = await createWorkspace(admin);
});

afterAll(async () => {
	await db.end();
	await admin.end();
});

/** Realtime's join check: a probe message on the topic, read back as the user. */
async function canJoin(actor: Actor, topic: string): Promise<boolean> {
	const id = randomUUID();
	await admin`
		insert into realtime.messages (id, topic, extension, payload, event, private)
		values (${id}, ${topic}, 'broadcast', '{}', 'probe', true)
	`;
	const outcome = await attempt(db, actor, async (tx) => {
		await tx`select set_config('realtime.topic', ${topic}, true)`;
		return tx`select id from realtime.messages where id = ${id}`;
	});
	return 'rows' in outcome && outcome.rows.length === 1;
}

function messagesAbout(key: string, id: string) {
	return admin<{ topic: string; event: string; payload: Record<string, string> }[]>`
		select topic, event, payload from realtime.messages
		where payload ->> ${key} = ${id}
		order by topic
	`;
}

describe('joining realtime topics', () => {
	it("lets a contact join their client's topic and their own user topic only", async () => {
		const { world } = ws;
		const { contact } = world.a;

		expect(await canJoin(contact, `client:${world.a.id}`)).toBe(true);
		expect(await canJoin(contact, `user:${contact.userId}`)).toBe(true);
		expect(await canJoin(contact, `client:${world.b.id}`)).toBe(false);
		expect(await canJoin(contact, `org:${world.orgId}`)).toBe(false);
		expect(await canJoin(contact, `user:${world.a.fellow.userId}`)).toBe(false);
	});

	it("lets a member join their studio's topic, not its clients' or another studio's", async () => {
		const { world, outsider } = ws;

		expect(await canJoin(ws.producer, `org:${world.orgId}`)).toBe(true);
		expect(await canJoin(ws.producer, `client:${world.a.id}`)).toBe(false);
		expect(await canJoin(outsider.producer, `org:${world.orgId}`)).toBe(false);
	});

	it('lets a revoked contact rejoin nothing of the client', async () => {
		expect(await canJoin(ws.revoked, `client:${ws.world.a.id}`)).toBe(false);
	});

	it('does not let a joined user read the messages of another topic', async () => {
		const { a, b } = ws.world;
		const outcome = await attempt(db, a.contact, async (tx) => {
			await tx`select set_config('realtime.topic', ${`client:${a.id}`}, true)`;
			return tx`select id from realtime.messages where topic = ${`client:${b.id}`}`;
		});

		expect(outcome).toEqual({ rows: [] });
	});

	it('refuses users a broadcast of their own (42501)', async () => {
		const outcome = await attempt(
			db,
			ws.world.a.contact,
			// No `returning`: the select policy must not be what refuses it.
			(tx) => tx`
				insert into realtime.messages (topic, extension, payload, private)
				values (${`client:${ws.world.a.id}`}, 'broadcast', '{}', true)
			`
		);

		expect(outcome).toEqual({
			code: '42501',
			message: 'new row violates row-level security policy for table "messages"'
		});
	});
});

describe('realtime.send as a user', () => {
	it('stores nothing a contact sends on their own client topic', async () => {
		const topic = `client:${ws.world.a.id}`;
		const marker = `forged-${randomUUID()}`;

		// realtime.send runs as the caller and turns the refused insert into a warning.
		await db.withUser(
			ws.world.a.contact.claims,
			(tx) => tx`select realtime.send(${tx.json({ kind: marker })}, 'forged', ${topic}, true)`
		);

		expect(
			await admin`select id from realtime.messages where payload ->> 'kind' = ${marker}`
		).toEqual([]);
	});
});

describe('broadcasts', () => {
	async function comment(actor: Actor & { memberId?: string; contactId?: string }, v: string) {
		const [row] = await db.withUser(
			actor.claims,
			(tx) => tx<{ id: string }[]>`
				insert into public.comments (version_id, author_contact_id, author_member_id,
					visibility, body)
				values (${v}, ${actor.contactId ?? null}, ${actor.memberId ?? null},
					${actor.memberId ? 'internal' : 'client'}, 'Secret body text')
				returning id
			`
		);
		return row.id;
	}

	it("sends a contact's comment to the studio and the client, as kind and ids", async () => {
		const { a } = ws.world;
		const id = await comment(a.contact, a.review.versionId);

		const messages = await messagesAbout('comment_id', id);
		const commentMessages = messages.filter((m) => m.event === 'comment');

		expect(commentMessages.map((m) => m.topic)).toEqual([
			`client:${a.id}`,
			`org:${ws.world.orgId}`
		]);
		for (const { payload } of commentMessages) {
			expect(Object.keys(payload).sort()).toEqual([
				'comment_id',
				'deliverable_id',
				'id',
				'kind',
				'version_id'
			]);
			expect(payload.kind).toBe('comment.created');
		}
		expect(JSON.stringify(messages)).not.toContain('Secret body text');
	});

	it('sends an internal comment, and its activity, to the studio only', async () => {
		const id = await comment(ws.producer, ws.world.a.review.versionId);

		const topics = (await messagesAbout('comment_id', id))
			.map((m) => `${m.event} ${m.topic}`)
			.sort();

		expect(topics).toEqual([`activity org:${ws.world.orgId}`, `comment org:${ws.world.orgId}`]);
	});

	it('keeps client-visible comments on drafts off the client topic', async () => {
		const { a } = ws.world;
		const [row] = await admin<{ id: string }[]>`
			insert into public.comments (version_id, author_user_id, author_member_id, visibility, body)
			values (${a.draft.versionId}, ${ws.producer.userId}, ${ws.producer.memberId}, 'client', 'x')
			returning id
		`;

		const topics = (await messagesAbout('comment_id', row.id)).map((m) => m.topic);

		expect(topics).not.toContain(`client:${a.id}`);
		expect(topics).toContain(`org:${ws.world.orgId}`);
	});

	it("sends a notification to its recipient's user topic only", async () => {
		const { a } = ws.world;
		const [row] = await admin<{ id: string }[]>`
			insert into public.notifications (org_id, client_id, recipient_user_id, audience,
				activity_id)
			values (${ws.world.orgId}, ${a.id}, ${a.fellow.userId}, 'client',
				${ws.teamCommentActivityId})
			returning id
		`;

		expect(await messagesAbout('notification_id', row.id)).toEqual([
			{
				topic: `user:${a.fellow.userId}`,
				event: 'notification',
				payload: {
					id: expect.any(String),
					kind: 'comment.created',
					notification_id: row.id,
					activity_id: ws.teamCommentActivityId
				}
			}
		]);
	});
});

describe('notification rows', () => {
	it('refuses a client notification about an internal event (23514)', async () => {
		const { a } = ws.world;
		const [internal] = await admin<{ id: string }[]>`
			select id from public.activity where comment_id = ${a.comments.internal}
		`;

		await expect(admin`
			insert into public.notifications (org_id, client_id, recipient_user_id, audience,
				activity_id)
			values (${ws.world.orgId}, ${a.id}, ${a.contact.userId}, 'client', ${internal.id})
		`).rejects.toMatchObject({ code: '23514' });
	});

	it("refuses a client notification about another client's event (23514)", async () => {
		const { b } = ws.world;

		await expect(admin`
			insert into public.notifications (org_id, client_id, recipient_user_id, audience,
				activity_id)
			values (${ws.world.orgId}, ${b.id}, ${b.contact.userId}, 'client',
				${ws.teamCommentActivityId})
		`).rejects.toMatchObject({ code: '23514' });
	});

	it('lets a recipient change nothing but the read state (42501)', async () => {
		const outcome = await attempt(
			db,
			ws.world.a.contact,
			(tx) => tx`
				update public.notifications set recipient_user_id = ${ws.world.a.fellow.userId}
				where id = ${ws.notifications.contact}
				returning id
			`
		);

		expect(outcome).toMatchObject({
			code: '42501',
			message: expect.stringMatching(/^permission denied for table /)
		});
	});
});
