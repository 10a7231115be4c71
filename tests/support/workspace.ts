/**
 * A studio at work, on top of createWorld: every role the permission matrix acts as (a plain
 * producer, an admin, a revoked contact, a producer of another studio) and a row in each
 * studio-only and recipient-only table. Built through the superuser connection, fresh ids.
 */
import { randomUUID } from 'node:crypto';
import {
	createContact,
	createStudio,
	createUser,
	createWorld,
	type Actor,
	type Contact,
	type Sql,
	type Studio,
	type World
} from './actors.ts';

export interface Member extends Actor {
	memberId: string;
	displayName: string;
}

export interface Workspace {
	world: World;
	outsider: Studio;
	/** Role producer: no administration. */
	producer: Member;
	/** Role admin. */
	orgAdmin: Member;
	/** A contact of client A, revoked after their notification was written. */
	revoked: Contact;
	stages: { editing: string; review: string; unused: string };
	/** Client A's episode, placed in stage `review`. */
	workflowId: string;
	/** A second episode of client A, not in the pipeline yet. */
	spareEpisodeId: string;
	costId: string;
	noteId: string;
	/** The activity row of client A's client-visible team comment. */
	teamCommentActivityId: string;
	notifications: { contact: string; revoked: string; producer: string };
	/** The studio's logo in bucket `branding`. */
	logoObject: string;
}

export async function createMember(
	admin: Sql,
	studio: Studio,
	role: 'owner' | 'admin' | 'producer'
): Promise<Member> {
	const actor = await createUser(admin, role);
	const memberId = randomUUID();
	const displayName = `Member ${memberId.slice(0, 8)}`;

	await admin`
		insert into public.org_members (id, org_id, user_id, role, display_name)
		values (${memberId}, ${studio.orgId}, ${actor.userId}, ${role}, ${displayName})
	`;

	return { ...actor, memberId, displayName };
}

export async function createStage(
	admin: Sql,
	orgId: string,
	position: number,
	clientStatus: string,
	name = `Stage ${position} ${randomUUID().slice(0, 8)}`
): Promise<string> {
	const [row] = await admin<{ id: string }[]>`
		insert into public.pipeline_stages (org_id, name, position, client_status)
		values (${orgId}, ${name}, ${position}, ${clientStatus})
		returning id
	`;
	return row.id;
}

export async function createWorkspace(admin: Sql): Promise<Workspace> {
	const world = await createWorld(admin);
	const outsider = await createStudio(admin);
	const producer = await createMember(admin, world, 'producer');
	const orgAdmin = await createMember(admin, world, 'admin');
	const revoked = await createContact(admin, world, world.a.id, 'Revoked');
	const { a } = world;

	const stages = {
		editing: await createStage(admin, world.orgId, 0, 'in_progress'),
		review: await createStage(admin, world.orgId, 1, 'ready_for_review'),
		unused: await createStage(admin, world.orgId, 2, 'approved')
	};
	// The fixture's episode is already ready for review, so this placement changes no status.
	const [workflow] = await admin<{ id: string }[]>`
		insert into public.episode_workflow (org_id, client_id, episode_id, stage_id,
			assignee_member_id, notes)
		values (${world.orgId}, ${a.id}, ${a.episodeId}, ${stages.review}, ${producer.memberId},
			'Waiting on the guest''s release form')
		returning id
	`;
	const spareEpisodeId = randomUUID();
	await admin`
		insert into public.episodes (id, org_id, client_id, show_id, number, title)
		values (${spareEpisodeId}, ${world.orgId}, ${a.id}, ${a.showId}, 2, 'Second')
	`;
	const [cost] = await admin<{ id: string }[]>`
		insert into public.episode_costs (org_id, client_id, episode_id, description, amount_minor,
			currency)
		values (${world.orgId}, ${a.id}, ${a.episodeId}, 'Guest travel', 12500, 'EUR')
		returning id
	`;
	const [note] = await admin<{ id: string }[]>`
		insert into public.client_notes (org_id, client_id, author_member_id, body)
		values (${world.orgId}, ${a.id}, ${producer.memberId}, 'Prefers calls on Fridays')
		returning id
	`;

	const teamCommentActivityId = await activityOf(admin, a.comments.team);
	const internalActivityId = await activityOf(admin, a.comments.internal);
	const notify = (user: Actor, audience: string, activityId: string, clientId: string | null) =>
		admin<{ id: string }[]>`
			insert into public.notifications (org_id, client_id, recipient_user_id, audience,
				activity_id)
			values (${world.orgId}, ${clientId}, ${user.userId}, ${audience}, ${activityId})
			returning id
		`.then(([row]) => row.id);
	const notifications = {
		contact: await notify(a.contact, 'client', teamCommentActivityId, a.id),
		revoked: await notify(revoked, 'client', teamCommentActivityId, a.id),
		producer: await notify(producer, 'team', internalActivityId, null)
	};
	await admin`
		update public.client_contacts set revoked_at = now(), revoked_by = ${world.producer.userId}
		where id = ${revoked.contactId}
	`;

	const logoObject = `${world.orgId}/logo.png`;
	await admin`
		insert into storage.objects (bucket_id, name, metadata)
		values ('branding', ${logoObject}, ${admin.json({ mimetype: 'image/png', size: 100 })})
	`;

	return {
		world,
		outsider,
		producer,
		orgAdmin,
		revoked,
		stages,
		workflowId: workflow.id,
		spareEpisodeId,
		costId: cost.id,
		noteId: note.id,
		teamCommentActivityId,
		notifications,
		logoObject
	};
}

async function activityOf(admin: Sql, commentId: string): Promise<string> {
	const [row] = await admin<{ id: string }[]>`
		select id from public.activity where comment_id = ${commentId}
	`;
	return row.id;
}
