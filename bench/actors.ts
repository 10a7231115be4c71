/**
 * The people the benchmark acts as, read back from the seeded database: every active contact
 * with a user (and the deliverables the portal would list for them), every member (and their
 * studio's deliverables), each with the claims of a Supabase access token.
 */
import { randomUUID } from 'node:crypto';
import type postgres from 'postgres';
import type { AccessClaims } from '../src/lib/server/db.ts';
import type { Actor, Params } from './queries.ts';

interface ActorRow {
	user_id: string;
	email: string;
	org_id: string;
	deliverables: { id: string; versionId: string | null }[];
}

export interface Actors {
	contacts: Actor[];
	members: Actor[];
}

export async function loadActors(sql: postgres.Sql): Promise<Actors> {
	// The portal takes the studio of the first contact row, by client name (loadActiveContacts).
	const contacts = await sql<ActorRow[]>`
		select cc.user_id, u.email, (array_agg(cc.org_id order by cl.name))[1] as org_id,
			coalesce(
				(select json_agg(json_build_object('id', d.id, 'versionId', d.current_version_id))
				from public.deliverables d
				where d.client_id = any (array_agg(cc.client_id))
					and d.status <> 'draft'
					and exists (
						select 1 from public.deliverable_versions v
						where v.deliverable_id = d.id and v.submitted_at is not null
					)),
				'[]'
			) as deliverables
		from public.client_contacts cc
		join public.clients cl on cl.id = cc.client_id
		join auth.users u on u.id = cc.user_id
		where cc.revoked_at is null
		group by cc.user_id, u.email`;

	const members = await sql<ActorRow[]>`
		select m.user_id, u.email, (array_agg(m.org_id order by o.name))[1] as org_id,
			coalesce(
				(select json_agg(json_build_object('id', d.id, 'versionId', d.current_version_id))
				from public.deliverables d
				where d.org_id = any (array_agg(m.org_id))),
				'[]'
			) as deliverables
		from public.org_members m
		join public.orgs o on o.id = m.org_id
		join auth.users u on u.id = m.user_id
		group by m.user_id, u.email`;

	return {
		contacts: contacts.filter((row) => row.deliverables.length > 0).map(toActor),
		members: members.map(toActor)
	};
}

function toActor(row: ActorRow): Actor {
	return {
		userId: row.user_id,
		claims: accessClaims(row.user_id, row.email),
		orgId: row.org_id,
		deliverables: row.deliverables
	};
}

/** A payload shaped like the one GoTrue signs, so auth.uid() and auth.jwt() parse as much. */
function accessClaims(userId: string, email: string): AccessClaims {
	const now = Math.floor(Date.now() / 1000);
	return {
		iss: 'http://127.0.0.1:54321/auth/v1',
		sub: userId,
		aud: 'authenticated',
		exp: now + 3600,
		iat: now,
		email,
		phone: '',
		app_metadata: { provider: 'email', providers: ['email'] },
		user_metadata: { email, email_verified: true, phone_verified: false, sub: userId },
		role: 'authenticated',
		aal: 'aal1',
		amr: [{ method: 'otp', timestamp: now }],
		session_id: randomUUID(),
		is_anonymous: false
	};
}

/** mulberry32: small, fast and seedable, so a run can be replayed with BENCH_SEED. */
export function random(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** A random actor of the audience and one of their deliverables (with a version if needed). */
export function pickParams(actors: Actor[], needsVersion: boolean, next: () => number): Params {
	for (;;) {
		const actor = actors[Math.floor(next() * actors.length)];
		const deliverable = actor.deliverables[Math.floor(next() * actor.deliverables.length)];
		if (!needsVersion || deliverable.versionId) {
			return { actor, deliverableId: deliverable.id, versionId: deliverable.versionId };
		}
	}
}
