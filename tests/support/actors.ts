/**
 * Fixture builders for database tests. Each call creates its own studio, clients, people and
 * work through the superuser connection (bypassing RLS), with fresh ids, so test files neither
 * depend on each other nor on the seed, and can run in parallel against one database.
 */
import { randomUUID } from 'node:crypto';
import postgres from 'postgres';
import { inject } from 'vitest';
import { createDatabase, type AccessClaims, type Database, type Tx } from '#lib/server/db.ts';

export type Sql = postgres.Sql;

export interface Actor {
	userId: string;
	email: string;
	claims: AccessClaims;
}

export interface Contact extends Actor {
	contactId: string;
	fullName: string;
}

export interface ReviewFixture {
	deliverableId: string;
	title: string;
	/** Submitted and current, in review. */
	versionId: string;
	/** See createReviewDeliverable. */
	otherVersionId: string | null;
}

export interface ClientFixture {
	id: string;
	name: string;
	/** An active contact. */
	contact: Contact;
	/** A second active contact of the same client. */
	fellow: Contact;
	showId: string;
	episodeId: string;
	review: ReviewFixture & { unsubmittedVersionId: string };
	draft: { deliverableId: string; title: string; versionId: string };
	/** An approved deliverable with its decision, made by `contact`. */
	decided: { deliverableId: string; versionId: string; decisionId: string };
	comments: {
		/** Client-visible, by the producer, on the review version. */
		team: string;
		/** Internal, by the producer, on the review version. */
		internal: string;
		/** By `contact` on the review version. */
		contact: string;
		/** By `fellow` on the review version. */
		fellow: string;
		/** Client-visible but soft-deleted. */
		deleted: string;
		/** Client-visible, by the producer, on the unsubmitted version. */
		onUnsubmitted: string;
		/** Client-visible, by the producer, on the draft deliverable's version. */
		onDraft: string;
	};
	/** storage.objects names of the client's versions, by version id. */
	objects: Record<string, string>;
}

export interface Studio {
	orgId: string;
	studioName: string;
	producer: Actor & { memberId: string; displayName: string };
	/** An object under the org's prefix that no version points at. */
	looseObject: string;
}

export interface World extends Studio {
	a: ClientFixture;
	b: ClientFixture;
}

/** The superuser connection: fixture setup only, it bypasses RLS and grants. */
export function connectAdmin(): Sql {
	return postgres(inject('superuserUrl'), { max: 4, onnotice: () => {} });
}

/** The superuser connection and the app's own pool, on the tests' global stack. */
export function connect(): { admin: Sql; db: Database } {
	return { admin: connectAdmin(), db: createDatabase(inject('appDatabaseUrl')) };
}

/** Runs `fn` as the anon role with no claims, as PostgREST does for the bare anon key. */
export function asAnon<T>(db: Database, fn: (tx: Tx) => Promise<T>): Promise<T> {
	return db.sql.begin(async (tx) => {
		await tx`select set_config('role', 'anon', true)`;
		return fn(tx);
	}) as Promise<T>;
}

export async function createUser(admin: Sql, label: string): Promise<Actor> {
	const userId = randomUUID();
	const email = `${label}-${userId.slice(0, 8)}@test.cuepoint.example`;

	await admin`
		insert into auth.users (id, aud, role, email, email_confirmed_at, raw_app_meta_data,
			raw_user_meta_data, created_at, updated_at)
		values (${userId}, 'authenticated', 'authenticated', ${email}, now(),
			${admin.json({ provider: 'email', providers: ['email'] })}, '{}', now(), now())
	`;

	return { userId, email, claims: { sub: userId, role: 'authenticated', email } };
}

export async function createStudio(
	admin: Sql,
	options: { showTeamNames?: boolean; branding?: boolean } = {}
): Promise<Studio> {
	const orgId = randomUUID();
	const memberId = randomUUID();
	const studioName = `Studio ${orgId.slice(0, 8)}`;
	const displayName = `Producer ${memberId.slice(0, 8)}`;
	const producer = await createUser(admin, 'producer');

	await admin`
		insert into public.orgs (id, name, slug)
		values (${orgId}, ${`${studioName} Ltd`}, ${`studio-${orgId.slice(0, 8)}`})
	`;
	if (options.branding ?? true) {
		await admin`
			insert into public.org_branding (org_id, display_name, show_team_names)
			values (${orgId}, ${studioName}, ${options.showTeamNames ?? false})
		`;
	}
	await admin`
		insert into public.org_members (id, org_id, user_id, role, display_name)
		values (${memberId}, ${orgId}, ${producer.userId}, 'owner', ${displayName})
	`;

	const looseObject = `${orgId}/${randomUUID()}/notes.txt`;
	await insertObject(admin, looseObject);

	return { orgId, studioName, producer: { ...producer, memberId, displayName }, looseObject };
}

/** A studio with two clients, each with the full set of work a contact may or may not see. */
export async function createWorld(
	admin: Sql,
	options: { showTeamNames?: boolean; branding?: boolean } = {}
): Promise<World> {
	const studio = await createStudio(admin, options);
	const a = await createClient(admin, studio, 'Client A');
	const b = await createClient(admin, studio, 'Client B');
	return { ...studio, a, b };
}

export async function createContact(
	admin: Sql,
	studio: Studio,
	clientId: string,
	label: string
): Promise<Contact> {
	const actor = await createUser(admin, label);
	const contactId = randomUUID();
	const fullName = `${label} ${contactId.slice(0, 8)}`;

	await admin`
		insert into public.client_contacts (id, org_id, client_id, email, full_name, user_id,
			invited_at, invited_by)
		values (${contactId}, ${studio.orgId}, ${clientId}, ${actor.email}, ${fullName},
			${actor.userId}, now(), ${studio.producer.userId})
	`;

	return { ...actor, contactId, fullName };
}

async function createClient(admin: Sql, studio: Studio, label: string): Promise<ClientFixture> {
	const id = randomUUID();
	const showId = randomUUID();
	const episodeId = randomUUID();
	const name = `${label} ${id.slice(0, 8)}`;

	await admin`
		insert into public.clients (id, org_id, name) values (${id}, ${studio.orgId}, ${name})
	`;
	const contact = await createContact(admin, studio, id, 'Contact');
	const fellow = await createContact(admin, studio, id, 'Fellow');
	await admin`
		insert into public.shows (id, org_id, client_id, title)
		values (${showId}, ${studio.orgId}, ${id}, ${`${label} Show`})
	`;
	await admin`
		insert into public.episodes (id, org_id, client_id, show_id, number, title, client_status)
		values (${episodeId}, ${studio.orgId}, ${id}, ${showId}, 1, 'Pilot', 'ready_for_review')
	`;

	const client = { id, name, orgId: studio.orgId, episodeId };
	const objects: Record<string, string> = {};
	const reviewed = await createReviewDeliverable(admin, client, { extra: 'unsubmitted' });
	const review = { ...reviewed, unsubmittedVersionId: reviewed.otherVersionId ?? '' };
	const reviewVersions = await versionsOf(admin, review.deliverableId);
	const draft = await createDeliverable(admin, client, 'draft', 'Draft cut');
	const draftVersionId = await addVersion(admin, client, draft.deliverableId, 1, false);
	const decided = await createReviewDeliverable(admin, client);

	const [decision] = await admin<{ id: string }[]>`
		insert into public.review_decisions (org_id, client_id, deliverable_id, version_id,
			contact_id, decided_by, decision)
		values (${studio.orgId}, ${id}, ${decided.deliverableId}, ${decided.versionId},
			${contact.contactId}, ${contact.userId}, 'approved')
		returning id
	`;
	await admin`
		update public.deliverables set status = 'approved' where id = ${decided.deliverableId}
	`;

	const versions = [
		...reviewVersions,
		...(await versionsOf(admin, draft.deliverableId)),
		...(await versionsOf(admin, decided.deliverableId))
	];
	for (const version of versions) {
		objects[version.id] = version.storage_path;
		await insertObject(admin, version.storage_path);
	}

	const team = { userId: studio.producer.userId, memberId: studio.producer.memberId };
	const comment = (versionId: string, author: CommentAuthor, visibility = 'client') =>
		insertComment(admin, versionId, author, visibility);
	const deleted = await comment(review.versionId, contact);
	await admin`update public.comments set deleted_at = now() where id = ${deleted}`;

	return {
		id,
		name,
		contact,
		fellow,
		showId,
		episodeId,
		review,
		draft: { ...draft, versionId: draftVersionId },
		decided: { ...decided, decisionId: decision.id },
		comments: {
			team: await comment(review.versionId, team),
			internal: await comment(review.versionId, team, 'internal'),
			contact: await comment(review.versionId, contact),
			fellow: await comment(review.versionId, fellow),
			deleted,
			onUnsubmitted: await comment(review.unsubmittedVersionId, team),
			onDraft: await comment(draftVersionId, team)
		},
		objects
	};
}

interface ClientRef {
	id: string;
	orgId: string;
	episodeId: string;
}

/**
 * A deliverable in review with a submitted, current version 1. `extra: 'unsubmitted'` adds a
 * version 2 the studio has not submitted; `extra: 'superseded'` adds a submitted version 2 that
 * became current, so version 1 is superseded. `otherVersionId` is that version 2 or 1.
 */
export async function createReviewDeliverable(
	admin: Sql,
	client: ClientRef,
	options: { extra?: 'unsubmitted' | 'superseded' } = {}
): Promise<ReviewFixture> {
	const { deliverableId, title } = await createDeliverable(admin, client, 'in_review', 'Mix');
	const first = await addVersion(admin, client, deliverableId, 1, true);
	const second = options.extra
		? await addVersion(admin, client, deliverableId, 2, options.extra === 'superseded')
		: null;
	const current = options.extra === 'superseded' && second ? second : first;

	await admin`
		update public.deliverables set current_version_id = ${current} where id = ${deliverableId}
	`;

	return {
		deliverableId,
		title,
		versionId: current,
		otherVersionId: options.extra === 'superseded' ? first : second
	};
}

async function createDeliverable(
	admin: Sql,
	client: ClientRef,
	status: 'draft' | 'in_review',
	label: string
) {
	const deliverableId = randomUUID();
	const title = `${label} ${deliverableId.slice(0, 8)}`;

	await admin`
		insert into public.deliverables (id, org_id, client_id, episode_id, kind, title, status)
		values (${deliverableId}, ${client.orgId}, ${client.id}, ${client.episodeId}, 'final_mix',
			${title}, ${status})
	`;

	return { deliverableId, title };
}

async function addVersion(
	admin: Sql,
	client: ClientRef,
	deliverableId: string,
	number: number,
	submitted: boolean
): Promise<string> {
	const id = randomUUID();
	const fileName = `take-${number}.wav`;

	await admin`
		insert into public.deliverable_versions (id, org_id, client_id, deliverable_id, number,
			storage_path, file_name, mime_type, size_bytes, submitted_at)
		values (${id}, ${client.orgId}, ${client.id}, ${deliverableId}, ${number},
			${`${client.orgId}/${deliverableId}/${id}/${fileName}`}, ${fileName}, 'audio/wav', 1000,
			${submitted ? new Date() : null})
	`;

	return id;
}

function versionsOf(admin: Sql, deliverableId: string) {
	return admin<{ id: string; storage_path: string }[]>`
		select id, storage_path from public.deliverable_versions
		where deliverable_id = ${deliverableId}
	`;
}

type CommentAuthor = { userId: string } & ({ memberId: string } | { contactId: string });

async function insertComment(
	admin: Sql,
	versionId: string,
	author: CommentAuthor,
	visibility: string
): Promise<string> {
	const memberId = 'memberId' in author ? author.memberId : null;
	const contactId = 'contactId' in author ? author.contactId : null;
	const [row] = await admin<{ id: string }[]>`
		insert into public.comments (version_id, author_user_id, author_member_id,
			author_contact_id, visibility, body, at_ms)
		values (${versionId}, ${author.userId}, ${memberId}, ${contactId}, ${visibility},
			${`A ${visibility} comment`}, 1500)
		returning id
	`;
	return row.id;
}

async function insertObject(admin: Sql, name: string) {
	await admin`
		insert into storage.objects (bucket_id, name, metadata)
		values ('deliverables', ${name}, ${admin.json({ mimetype: 'audio/wav', size: 1000 })})
	`;
}

/** The ids of the rows, sorted, so tests compare exact sets. */
export async function ids(rows: Promise<{ id: string }[]>): Promise<string[]> {
	return (await rows).map((row) => row.id).sort();
}

export function sorted(values: string[]): string[] {
	return [...values].sort();
}
