/**
 * Random tenants for the cross-tenant property test: studios, clients, contacts (some
 * revoked), shows, episodes in pipeline stages, costs, notes, deliverables in every status,
 * versions (submitted or not, each with its storage object), comments (client, internal,
 * deleted), decisions and notifications. Every text field carries a unique marker and every
 * row id is recorded with the scopes that may see it, so a reader can tell whose a string is.
 */
import { randomUUID } from 'node:crypto';
import type { Actor, Sql } from './actors.ts';

/** mulberry32: small, fast, and the same sequence for the same seed on every machine. */
export function prng(seed: number) {
	let state = seed >>> 0;
	const next = () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
	return {
		next,
		int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
		chance: (p: number) => next() < p,
		pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]
	};
}

export type Random = ReturnType<typeof prng>;

/**
 * Who may see a marker or an id. client:<id> and org:<id> for the active contacts of that
 * client or of any client of that org; contact:<id> for that contact only; self:<user id> for
 * that person whatever their rights; team:<org id> for member names, which reach contacts only
 * through comment_author_label and only when the studio shows team names; hidden for nobody.
 */
export type Scope = string;

export interface GeneratedContact extends Actor {
	contactId: string;
	clientId: string;
	orgId: string;
	revoked: boolean;
}

export interface Tenants {
	contacts: GeneratedContact[];
	/** marker -> scopes */
	markers: Map<string, Scope[]>;
	/** uuid -> scopes */
	ids: Map<string, Scope[]>;
	/** org id -> whether its branding shows team names */
	showTeamNames: Map<string, boolean>;
	/** client id -> storage paths of versions its contacts may read */
	visiblePaths: Map<string, string[]>;
	allPaths: string[];
	versionIds: string[];
	commentIds: string[];
	/** What the actions (approve, request a revision, delete a comment) are tried on. */
	actionTargets: string[];
	clientIds: string[];
	orgIds: string[];
	/** Rows written, by table, for the report. */
	counts: Record<string, number>;
}

const STATUSES = ['draft', 'in_review', 'revision_requested', 'approved'] as const;
const CLIENT_STATUSES = ['in_progress', 'ready_for_review', 'approved', 'published'] as const;

export async function generateTenants(admin: Sql, random: Random): Promise<Tenants> {
	let serial = 0;
	const markers = new Map<string, Scope[]>();
	const ids = new Map<string, Scope[]>();
	const rows: Record<string, Record<string, unknown>[]> = {};
	const add = (table: string, row: Record<string, unknown>) => {
		(rows[table] ??= []).push(row);
	};
	// Fixed width and a terminator, so no marker is a substring of another.
	const mark = (scopes: Scope[]) => {
		const marker = `mkr${String(serial++).padStart(6, '0')}z`;
		markers.set(marker, scopes);
		return marker;
	};
	const id = (scopes: Scope[]) => {
		const value = randomUUID();
		ids.set(value, scopes);
		return value;
	};

	const tenants: Tenants = {
		contacts: [],
		markers,
		ids,
		showTeamNames: new Map(),
		visiblePaths: new Map(),
		allPaths: [],
		versionIds: [],
		commentIds: [],
		actionTargets: [],
		clientIds: [],
		orgIds: [],
		counts: {}
	};

	const users: Record<string, unknown>[] = [];
	const user = (scopes: Scope[]) => {
		const userId = id(scopes);
		users.push({
			id: userId,
			aud: 'authenticated',
			role: 'authenticated',
			email: `${userId}@tenants.cuepoint.example`,
			raw_app_meta_data: { provider: 'email' },
			raw_user_meta_data: {}
		});
		return userId;
	};

	const studios = random.int(3, 4);
	for (let s = 0; s < studios; s++) {
		const orgId = id([]);
		const org = `org:${orgId}`;
		const team = `team:${orgId}`;
		ids.set(orgId, [org]);
		tenants.orgIds.push(orgId);
		// Always one studio of each kind, so both sides of the rule are exercised every run.
		const showNames = s < 2 ? s === 1 : random.chance(0.5);
		tenants.showTeamNames.set(orgId, showNames);

		add('orgs', { id: orgId, name: mark([org]), slug: `t-${orgId}` });
		add('org_branding', { org_id: orgId, display_name: mark([org]), show_team_names: showNames });

		const members = [];
		for (let m = random.int(1, 3); m > 0; m--) {
			const memberId = id([org]);
			const userId = user([org]);
			const role = members.length === 0 ? 'owner' : random.pick(['admin', 'producer']);
			members.push({ memberId, userId });
			add('org_members', {
				id: memberId,
				org_id: orgId,
				user_id: userId,
				role,
				display_name: mark([team])
			});
		}

		const stages: { id: string; status: string }[] = [];
		CLIENT_STATUSES.forEach((status, position) => {
			const stageId = id(['hidden']);
			stages.push({ id: stageId, status });
			add('pipeline_stages', {
				id: stageId,
				org_id: orgId,
				name: mark(['hidden']),
				position,
				client_status: status
			});
		});

		for (let c = random.int(2, 4); c > 0; c--) {
			await generateClient(random, { orgId, org, members, stages, mark, id, add, user, tenants });
		}
	}

	await insertAll(admin, users, rows, tenants);
	tenants.actionTargets = [...tenants.versionIds, ...tenants.commentIds];
	return tenants;
}

interface ClientContext {
	orgId: string;
	org: Scope;
	members: { memberId: string; userId: string }[];
	stages: { id: string; status: string }[];
	mark: (scopes: Scope[]) => string;
	id: (scopes: Scope[]) => string;
	add: (table: string, row: Record<string, unknown>) => void;
	user: (scopes: Scope[]) => string;
	tenants: Tenants;
}

async function generateClient(random: Random, ctx: ClientContext) {
	const { orgId, mark, id, add, tenants } = ctx;
	const clientId = id([]);
	const client = `client:${clientId}`;
	ctx.tenants.ids.set(clientId, [client]);
	tenants.clientIds.push(clientId);
	tenants.visiblePaths.set(clientId, []);
	const scope = { org_id: orgId, client_id: clientId };

	add('clients', { id: clientId, org_id: orgId, name: mark([client]) });
	add('client_notes', { id: id(['hidden']), ...scope, body: mark(['hidden']) });

	const contacts: GeneratedContact[] = [];
	// The first client always has a revoked contact, so every run exercises revocation.
	const first = tenants.clientIds.length === 1;
	for (let k = first ? 2 : random.int(1, 3); k > 0; k--) {
		const contactId = id([client]);
		const userId = ctx.user([]);
		ctx.tenants.ids.set(userId, [client, `self:${userId}`]);
		const revoked = contacts.length > 0 && (first || random.chance(0.3));
		const email = `${userId}@tenants.cuepoint.example`;
		const contact = {
			contactId,
			userId,
			email,
			clientId,
			orgId,
			revoked,
			claims: { sub: userId, role: 'authenticated', email }
		};
		contacts.push(contact);
		add('client_contacts', {
			id: contactId,
			...scope,
			email: `${mark([`contact:${contactId}`])}@example.com`,
			full_name: mark([client]),
			user_id: userId,
			revoked_at: revoked ? new Date() : null
		});
	}
	tenants.contacts.push(...contacts);
	const active = contacts.filter((c) => !c.revoked);

	for (let sh = random.int(1, 2); sh > 0; sh--) {
		const showId = id([client]);
		add('shows', { id: showId, ...scope, title: mark([client]), description: mark([client]) });

		for (let e = random.int(1, 2); e > 0; e--) {
			const episodeId = id([client]);
			add('episodes', {
				id: episodeId,
				...scope,
				show_id: showId,
				number: e,
				title: mark([client]),
				description: mark([client])
			});
			add('episode_workflow', {
				id: id(['hidden']),
				...scope,
				episode_id: episodeId,
				stage_id: random.pick(ctx.stages).id,
				assignee_member_id: random.pick(ctx.members).memberId,
				notes: mark(['hidden'])
			});
			add('episode_costs', {
				id: id(['hidden']),
				...scope,
				episode_id: episodeId,
				description: mark(['hidden']),
				amount_minor: random.int(0, 100000),
				currency: random.pick(['EUR', 'USD', 'GBP'])
			});

			for (let d = random.int(1, 3); d > 0; d--) {
				generateDeliverable(random, ctx, { clientId, client, episodeId, active });
			}
		}
	}
}

function generateDeliverable(
	random: Random,
	ctx: ClientContext,
	where: { clientId: string; client: Scope; episodeId: string; active: GeneratedContact[] }
) {
	const { orgId, mark, id, add, tenants } = ctx;
	const { clientId, client } = where;
	const status = random.pick(STATUSES);
	const submitted = Array.from({ length: random.int(1, 3) }, () => random.chance(0.6));
	const visible = status !== 'draft' && submitted.some(Boolean);
	const seen = visible ? [client] : ['hidden'];
	const deliverableId = id(seen);
	const scope = { org_id: orgId, client_id: clientId };

	const versions = submitted.map((isSubmitted, i) => {
		const versionSeen = visible && isSubmitted ? [client] : ['hidden'];
		const versionId = id(versionSeen);
		const fileName = `${mark(versionSeen)}.wav`;
		const path = `${orgId}/${deliverableId}/${versionId}/${fileName}`;
		tenants.allPaths.push(path);
		tenants.versionIds.push(versionId);
		if (versionSeen[0] === client) {
			tenants.visiblePaths.get(clientId)?.push(path);
		}
		add('deliverable_versions', {
			id: versionId,
			...scope,
			deliverable_id: deliverableId,
			number: i + 1,
			storage_path: path,
			file_name: fileName,
			mime_type: 'audio/wav',
			size_bytes: 1000,
			submitted_at: isSubmitted ? new Date() : null
		});
		add('objects', {
			bucket_id: 'deliverables',
			name: path,
			metadata: { mimetype: 'audio/wav', size: 1000 }
		});
		return { versionId, isSubmitted, versionSeen };
	});
	const current = [...versions].reverse().find((v) => v.isSubmitted);

	add('deliverables', {
		id: deliverableId,
		...scope,
		episode_id: where.episodeId,
		kind: 'final_mix',
		title: mark(seen),
		description: mark(seen),
		status,
		current_version_id: current?.versionId ?? null
	});

	for (const version of versions) {
		for (let n = random.int(0, 4); n > 0; n--) {
			const byContact = where.active.length > 0 && version.versionSeen[0] === client;
			const author = byContact && random.chance(0.5) ? random.pick(where.active) : null;
			const visibility = author || random.chance(0.5) ? 'client' : 'internal';
			const deleted = random.chance(0.15);
			const bodySeen = visibility === 'client' && !deleted ? version.versionSeen : ['hidden'];
			// A deleted comment's event stays in the client's feed, so its id is theirs.
			const commentId = id(visibility === 'client' ? version.versionSeen : ['hidden']);
			const member = random.pick(ctx.members);
			tenants.commentIds.push(commentId);
			add('comments', {
				id: commentId,
				...scope,
				deliverable_id: deliverableId,
				version_id: version.versionId,
				author_user_id: author?.userId ?? member.userId,
				author_contact_id: author?.contactId ?? null,
				author_member_id: author ? null : member.memberId,
				visibility,
				body: mark(bodySeen),
				at_ms: random.int(0, 60000),
				deleted_at: deleted ? new Date() : null
			});
		}
	}

	if (current && visible && where.active.length > 0 && random.chance(0.4)) {
		const decision = random.pick(['approved', 'revision_requested']);
		add('review_decisions', {
			id: id([client]),
			...scope,
			deliverable_id: deliverableId,
			version_id: current.versionId,
			contact_id: random.pick(where.active).contactId,
			decision,
			note: mark([client])
		});
	}
}

const ORDER = [
	'orgs',
	'org_branding',
	'org_members',
	'pipeline_stages',
	'clients',
	'client_notes',
	'client_contacts',
	'shows',
	'episodes',
	'episode_workflow',
	'episode_costs',
	'deliverables',
	'deliverable_versions',
	'objects',
	'comments',
	'review_decisions'
];

async function insertAll(
	admin: Sql,
	users: Record<string, unknown>[],
	rows: Record<string, Record<string, unknown>[]>,
	tenants: Tenants
) {
	await admin.begin(async (tx) => {
		await tx`insert into auth.users ${tx(users)}`;

		for (const table of ORDER) {
			const batch = (rows[table] ?? []).map((row) =>
				table === 'deliverables' ? { ...row, current_version_id: null } : row
			);
			const target = table === 'objects' ? 'storage.objects' : `public.${table}`;
			for (let i = 0; i < batch.length; i += 500) {
				await tx`insert into ${tx(target)} ${tx(batch.slice(i, i + 500))}`;
			}
			tenants.counts[table] = batch.length;
		}

		// Current versions once the versions exist (the foreign key points both ways).
		const current = (rows.deliverables ?? []).filter((row) => row.current_version_id);
		for (const row of current) {
			await tx`
				update public.deliverables set current_version_id = ${row.current_version_id as string}
				where id = ${row.id as string}
			`;
		}
	});

	await tagActivity(admin, tenants);
	await addNotifications(admin, tenants);
}

/** Activity comes from triggers: a row is a client's when it is one their contacts may read. */
async function tagActivity(admin: Sql, tenants: Tenants) {
	const activity = await admin<{ id: string; client_id: string | null; seen: boolean }[]>`
		select a.id, a.client_id, a.client_visible and (
			a.deliverable_id is null or (d.status <> 'draft' and exists (
				select 1 from public.deliverable_versions v
				where v.deliverable_id = d.id and v.submitted_at is not null
			))
		) as seen
		from public.activity a
		left join public.deliverables d on d.id = a.deliverable_id
		where a.org_id = any (${tenants.orgIds})
	`;
	for (const row of activity) {
		tenants.ids.set(row.id, row.seen ? [`client:${row.client_id}`] : ['hidden']);
	}
	tenants.counts.activity = activity.length;
}

/** Each active contact is notified about a client-visible event of their client. */
async function addNotifications(admin: Sql, tenants: Tenants) {
	const rows = await admin<{ id: string }[]>`
		insert into public.notifications (org_id, client_id, recipient_user_id, audience,
			activity_id)
		select cc.org_id, cc.client_id, cc.user_id, 'client', a.id
		from public.client_contacts cc
		cross join lateral (
			select a.id from public.activity a
			where a.client_id = cc.client_id and a.client_visible
			order by a.id limit 1
		) a
		where cc.client_id = any (${tenants.clientIds})
		returning id, recipient_user_id
	`;
	for (const row of rows as unknown as { id: string; recipient_user_id: string }[]) {
		const contact = tenants.contacts.find((c) => c.userId === row.recipient_user_id);
		tenants.ids.set(row.id, contact ? [`contact:${contact.contactId}`] : ['hidden']);
	}
	tenants.counts.notifications = rows.length;
}
