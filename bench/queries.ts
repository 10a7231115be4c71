/**
 * The queries the benchmark runs. `rls` is the app's own function, run as the user so the
 * policies decide. Its two service_role twins return the same rows with the filtering written
 * out for the audience (a contact's for the portal, a member's for the workspace):
 *
 * - `service` adds to every table the query reads the predicate its policies add, as plain SQL
 *   instead of helper functions. The ratio to it is what the policies' machinery costs.
 * - `lean` filters only where the rows would otherwise differ, as a developer would write it by
 *   hand without RLS (foreign keys imply the rest). The ratio to it is what RLS costs in all.
 *
 * The bench checks that all three return the same rows before it times them.
 */
import type { AccessClaims, Tx } from '../src/lib/server/db.ts';
import { loadActiveContacts, loadMemberships } from '../src/lib/server/access.ts';
import { loadBranding } from '../src/lib/server/branding.ts';
import {
	getCurrentVersion,
	getDecision,
	getDeliverable,
	listComments,
	listDeliverables
} from '../src/lib/server/reviews.ts';
import {
	listStudioComments,
	listStudioDecisions,
	listStudioDeliverables
} from '../src/lib/server/studio.ts';

export interface Actor {
	userId: string;
	claims: AccessClaims;
	/** The studio of the actor's first contact row (portal) or membership (workspace). */
	orgId: string;
	/** Deliverables the actor may open, with their current version (null for drafts). */
	deliverables: { id: string; versionId: string | null }[];
}

export interface Params {
	actor: Actor;
	deliverableId: string;
	versionId: string | null;
}

export const modes = ['rls', 'service', 'lean'] as const;
export type Mode = (typeof modes)[number];

export interface QuerySpec {
	name: string;
	audience: 'portal' | 'studio';
	/** The query needs a deliverable with a current version. */
	needsVersion?: boolean;
	/** Share of the iterations a query gets; the heavy workspace list needs fewer samples. */
	weight?: number;
	rls(tx: Tx, p: Params): Promise<unknown>;
	service(tx: Tx, p: Params): Promise<unknown>;
	lean(tx: Tx, p: Params): Promise<unknown>;
}

const first = <T>(rows: readonly T[]) => rows[0] ?? null;

// Each query below is written out whole rather than assembled, so each reads as it runs.
// Contacts see their active clients' rows, and of deliverables, versions and comments only those
// marked client_visible (out of draft with a submitted version; submitted, of such a deliverable;
// for the client, not deleted, on such a version: 20261204500100); decisions on the versions
// they see (private.contact_version_ids()). Members see their org's rows.

const portal: QuerySpec[] = [
	{
		name: 'portal: active contacts',
		audience: 'portal',
		rls: (tx) => loadActiveContacts(tx),
		service: (tx, { actor }) => tx`
			select c.id as "contactId", c.client_id as "clientId", cl.name as "clientName",
				c.org_id as "orgId", c.full_name as "fullName"
			from public.client_contacts c
			join public.clients cl on cl.id = c.client_id
			where c.user_id = ${actor.userId} and c.revoked_at is null
				and cl.id in (
					select cc.client_id from public.client_contacts cc
					where cc.user_id = ${actor.userId} and cc.revoked_at is null
				)
			order by cl.name`,
		lean: (tx, { actor }) => tx`
			select c.id as "contactId", c.client_id as "clientId", cl.name as "clientName",
				c.org_id as "orgId", c.full_name as "fullName"
			from public.client_contacts c
			join public.clients cl on cl.id = c.client_id
			where c.user_id = ${actor.userId} and c.revoked_at is null
			order by cl.name`
	},
	{
		name: 'portal: branding',
		audience: 'portal',
		rls: (tx, { actor }) => loadBranding(tx, actor.orgId),
		service: async (tx, { actor }) =>
			first(
				await tx`
					select b.display_name as "displayName", b.accent_color as "accentColor",
						b.logo_path as "logoPath"
					from public.org_branding b
					where b.org_id = ${actor.orgId}
						and b.org_id in (
							select cc.org_id from public.client_contacts cc
							where cc.user_id = ${actor.userId} and cc.revoked_at is null
						)`
			),
		lean: async (tx, { actor }) =>
			first(
				await tx`
					select b.display_name as "displayName", b.accent_color as "accentColor",
						b.logo_path as "logoPath"
					from public.org_branding b
					where b.org_id = ${actor.orgId}
						and exists (
							select 1 from public.client_contacts cc
							where cc.org_id = b.org_id and cc.user_id = ${actor.userId}
								and cc.revoked_at is null
						)`
			)
	},
	{
		name: 'portal: deliverables list',
		audience: 'portal',
		rls: (tx) => listDeliverables(tx),
		service: (tx, { actor }) => tx`
			with mine as (
				select cc.client_id from public.client_contacts cc
				where cc.user_id = ${actor.userId} and cc.revoked_at is null
			)
			select d.id, d.title, d.kind, d.status, d.feedback_due as "feedbackDue",
				e.title as "episodeTitle", e.number as "episodeNumber", s.title as "showTitle",
				cl.name as "clientName"
			from public.deliverables d
			join public.episodes e on e.id = d.episode_id
			join public.shows s on s.id = e.show_id
			join public.clients cl on cl.id = d.client_id
			where d.client_id in (select client_id from mine)
				and d.client_visible
				and e.client_id in (select client_id from mine)
				and s.client_id in (select client_id from mine)
				and cl.id in (select client_id from mine)
			order by (d.status = 'in_review') desc, d.feedback_due nulls last, d.updated_at desc`,
		lean: (tx, { actor }) => tx`
			select d.id, d.title, d.kind, d.status, d.feedback_due as "feedbackDue",
				e.title as "episodeTitle", e.number as "episodeNumber", s.title as "showTitle",
				cl.name as "clientName"
			from public.deliverables d
			join public.episodes e on e.id = d.episode_id
			join public.shows s on s.id = e.show_id
			join public.clients cl on cl.id = d.client_id
			where d.client_id in (
					select cc.client_id from public.client_contacts cc
					where cc.user_id = ${actor.userId} and cc.revoked_at is null
				)
				and d.status <> 'draft'
				and exists (
					select 1 from public.deliverable_versions sv
					where sv.deliverable_id = d.id and sv.submitted_at is not null
				)
			order by (d.status = 'in_review') desc, d.feedback_due nulls last, d.updated_at desc`
	},
	{
		name: 'portal: deliverable',
		audience: 'portal',
		rls: (tx, p) => getDeliverable(tx, p.deliverableId),
		service: async (tx, { actor, deliverableId }) =>
			first(
				await tx`
					with mine as (
						select cc.client_id from public.client_contacts cc
						where cc.user_id = ${actor.userId} and cc.revoked_at is null
					)
					select d.id, d.title, d.kind, d.status, d.feedback_due as "feedbackDue",
						e.title as "episodeTitle", e.number as "episodeNumber", s.title as "showTitle",
						cl.name as "clientName"
					from public.deliverables d
					join public.episodes e on e.id = d.episode_id
					join public.shows s on s.id = e.show_id
					join public.clients cl on cl.id = d.client_id
					where d.id = ${deliverableId}
						and d.client_id in (select client_id from mine)
						and d.client_visible
						and e.client_id in (select client_id from mine)
						and s.client_id in (select client_id from mine)
						and cl.id in (select client_id from mine)`
			),
		lean: async (tx, { actor, deliverableId }) =>
			first(
				await tx`
					select d.id, d.title, d.kind, d.status, d.feedback_due as "feedbackDue",
						e.title as "episodeTitle", e.number as "episodeNumber", s.title as "showTitle",
						cl.name as "clientName"
					from public.deliverables d
					join public.episodes e on e.id = d.episode_id
					join public.shows s on s.id = e.show_id
					join public.clients cl on cl.id = d.client_id
					where d.id = ${deliverableId}
						and d.client_id in (
							select cc.client_id from public.client_contacts cc
							where cc.user_id = ${actor.userId} and cc.revoked_at is null
						)
						and d.status <> 'draft'
						and exists (
							select 1 from public.deliverable_versions sv
							where sv.deliverable_id = d.id and sv.submitted_at is not null
						)`
			)
	},
	{
		name: 'portal: current version',
		audience: 'portal',
		rls: (tx, p) => getCurrentVersion(tx, p.deliverableId),
		service: async (tx, { actor, deliverableId }) =>
			first(
				await tx`
					with mine as (
						select cc.client_id from public.client_contacts cc
						where cc.user_id = ${actor.userId} and cc.revoked_at is null
					)
					select v.id, v.number, v.file_name as "fileName", v.mime_type as "mimeType",
						v.duration_ms as "durationMs", v.submitted_at as "submittedAt",
						v.storage_path as "storagePath"
					from public.deliverables d
					join public.deliverable_versions v on v.id = d.current_version_id
					where d.id = ${deliverableId}
						and d.client_id in (select client_id from mine)
						and d.client_visible
						and v.client_id in (select client_id from mine)
						and v.client_visible`
			),
		lean: async (tx, { actor, deliverableId }) =>
			first(
				await tx`
					select v.id, v.number, v.file_name as "fileName", v.mime_type as "mimeType",
						v.duration_ms as "durationMs", v.submitted_at as "submittedAt",
						v.storage_path as "storagePath"
					from public.deliverables d
					join public.deliverable_versions v on v.id = d.current_version_id
					where d.id = ${deliverableId}
						and v.submitted_at is not null
						and d.client_id in (
							select cc.client_id from public.client_contacts cc
							where cc.user_id = ${actor.userId} and cc.revoked_at is null
						)
						and d.status <> 'draft'`
			)
	},
	{
		name: 'portal: decision',
		audience: 'portal',
		needsVersion: true,
		rls: (tx, p) => getDecision(tx, p.versionId!),
		service: async (tx, { actor, versionId }) =>
			first(
				await tx`
					select r.decision, r.note, r.created_at as "createdAt",
						r.decided_by = ${actor.userId} as mine
					from public.review_decisions r
					where r.version_id = ${versionId!}
						and r.version_id in (
							select v.id from public.deliverable_versions v
							where v.client_visible and v.client_id in (
								select cc.client_id from public.client_contacts cc
								where cc.user_id = ${actor.userId} and cc.revoked_at is null
							)
						)`
			),
		lean: async (tx, { actor, versionId }) =>
			first(
				await tx`
					select r.decision, r.note, r.created_at as "createdAt",
						r.decided_by = ${actor.userId} as mine
					from public.review_decisions r
					join public.deliverable_versions v on v.id = r.version_id
					join public.deliverables d on d.id = v.deliverable_id
					where r.version_id = ${versionId!}
						and v.submitted_at is not null
						and d.client_id in (
							select cc.client_id from public.client_contacts cc
							where cc.user_id = ${actor.userId} and cc.revoked_at is null
						)
						and d.status <> 'draft'`
			)
	},
	{
		// The author as public.comment_author_labels shows it to a contact who is not a member of
		// the studio: the contact's name, the member's if the studio shows team names, else the
		// studio's display name.
		name: 'portal: comments',
		audience: 'portal',
		rls: (tx, p) => listComments(tx, p.deliverableId),
		service: (tx, { actor, deliverableId }) => tx`
			with mine as (
				select cc.client_id from public.client_contacts cc
				where cc.user_id = ${actor.userId} and cc.revoked_at is null
			)
			select c.id, c.body, c.at_ms as "atMs", c.created_at as "createdAt",
				case
					when c.author_contact_id is not null then ac.full_name
					when coalesce(b.show_team_names, false) then m.display_name
					else coalesce(b.display_name, o.name)
				end as author,
				c.author_user_id = ${actor.userId} as mine, v.number as "versionNumber"
			from public.comments c
			join public.deliverable_versions v on v.id = c.version_id
			join public.orgs o on o.id = c.org_id
			left join public.org_branding b on b.org_id = c.org_id
			left join public.client_contacts ac on ac.id = c.author_contact_id
			left join public.org_members m on m.id = c.author_member_id
			where c.deliverable_id = ${deliverableId} and c.deleted_at is null
				and c.client_visible and c.client_id in (select client_id from mine)
				and v.client_visible and v.client_id in (select client_id from mine)
			order by c.at_ms nulls first, c.created_at`,
		lean: (tx, { actor, deliverableId }) => tx`
			select c.id, c.body, c.at_ms as "atMs", c.created_at as "createdAt",
				case
					when c.author_contact_id is not null then ac.full_name
					when coalesce(b.show_team_names, false) then m.display_name
					else coalesce(b.display_name, o.name)
				end as author,
				c.author_user_id = ${actor.userId} as mine, v.number as "versionNumber"
			from public.comments c
			join public.deliverable_versions v on v.id = c.version_id
			join public.deliverables d on d.id = c.deliverable_id
			join public.orgs o on o.id = c.org_id
			left join public.org_branding b on b.org_id = c.org_id
			left join public.client_contacts ac on ac.id = c.author_contact_id
			left join public.org_members m on m.id = c.author_member_id
			where c.deliverable_id = ${deliverableId} and c.deleted_at is null
				and c.visibility = 'client'
				and v.submitted_at is not null
				and d.client_id in (
					select cc.client_id from public.client_contacts cc
					where cc.user_id = ${actor.userId} and cc.revoked_at is null
				)
				and d.status <> 'draft'
			order by c.at_ms nulls first, c.created_at`
	}
];

const studio: QuerySpec[] = [
	{
		name: 'studio: memberships',
		audience: 'studio',
		rls: (tx) => loadMemberships(tx),
		service: (tx, { actor }) => tx`
			with orgs as (
				select om.org_id from public.org_members om where om.user_id = ${actor.userId}
			)
			select m.org_id as "orgId", o.name as "orgName", m.role
			from public.org_members m
			join public.orgs o on o.id = m.org_id
			where m.user_id = ${actor.userId}
				and m.org_id in (select org_id from orgs)
				and o.id in (select org_id from orgs)
			order by o.name`,
		lean: (tx, { actor }) => tx`
			select m.org_id as "orgId", o.name as "orgName", m.role
			from public.org_members m
			join public.orgs o on o.id = m.org_id
			where m.user_id = ${actor.userId}
			order by o.name`
	},
	{
		name: 'studio: deliverables list',
		audience: 'studio',
		weight: 0.25,
		rls: (tx) => listStudioDeliverables(tx),
		service: (tx, { actor }) => tx`
			with orgs as (
				select om.org_id from public.org_members om where om.user_id = ${actor.userId}
			)
			select d.id, d.title, d.status, cl.name as "clientName", s.title as "showTitle",
				e.number as "episodeNumber", e.title as "episodeTitle",
				(select count(*)::int from public.comments c
					where c.deliverable_id = d.id and c.deleted_at is null
						and c.org_id in (select org_id from orgs)) as "commentCount",
				(select max(r.created_at) from public.review_decisions r
					where r.deliverable_id = d.id
						and r.org_id in (select org_id from orgs)) as "decidedAt"
			from public.deliverables d
			join public.clients cl on cl.id = d.client_id
			join public.episodes e on e.id = d.episode_id
			join public.shows s on s.id = e.show_id
			where d.org_id in (select org_id from orgs)
				and cl.org_id in (select org_id from orgs)
				and e.org_id in (select org_id from orgs)
				and s.org_id in (select org_id from orgs)
			order by cl.name, d.updated_at desc`,
		lean: (tx, { actor }) => tx`
			select d.id, d.title, d.status, cl.name as "clientName", s.title as "showTitle",
				e.number as "episodeNumber", e.title as "episodeTitle",
				(select count(*)::int from public.comments c
					where c.deliverable_id = d.id and c.deleted_at is null) as "commentCount",
				(select max(r.created_at) from public.review_decisions r
					where r.deliverable_id = d.id) as "decidedAt"
			from public.deliverables d
			join public.clients cl on cl.id = d.client_id
			join public.episodes e on e.id = d.episode_id
			join public.shows s on s.id = e.show_id
			where d.org_id in (
				select om.org_id from public.org_members om where om.user_id = ${actor.userId}
			)
			order by cl.name, d.updated_at desc`
	},
	{
		name: 'studio: deliverable',
		audience: 'studio',
		rls: (tx, p) => getDeliverable(tx, p.deliverableId),
		service: async (tx, { actor, deliverableId }) =>
			first(
				await tx`
					with orgs as (
						select om.org_id from public.org_members om where om.user_id = ${actor.userId}
					)
					select d.id, d.title, d.kind, d.status, d.feedback_due as "feedbackDue",
						e.title as "episodeTitle", e.number as "episodeNumber", s.title as "showTitle",
						cl.name as "clientName"
					from public.deliverables d
					join public.episodes e on e.id = d.episode_id
					join public.shows s on s.id = e.show_id
					join public.clients cl on cl.id = d.client_id
					where d.id = ${deliverableId}
						and d.org_id in (select org_id from orgs)
						and e.org_id in (select org_id from orgs)
						and s.org_id in (select org_id from orgs)
						and cl.org_id in (select org_id from orgs)`
			),
		lean: async (tx, { actor, deliverableId }) =>
			first(
				await tx`
					select d.id, d.title, d.kind, d.status, d.feedback_due as "feedbackDue",
						e.title as "episodeTitle", e.number as "episodeNumber", s.title as "showTitle",
						cl.name as "clientName"
					from public.deliverables d
					join public.episodes e on e.id = d.episode_id
					join public.shows s on s.id = e.show_id
					join public.clients cl on cl.id = d.client_id
					where d.id = ${deliverableId}
						and d.org_id in (
							select om.org_id from public.org_members om where om.user_id = ${actor.userId}
						)`
			)
	},
	{
		name: 'studio: current version',
		audience: 'studio',
		rls: (tx, p) => getCurrentVersion(tx, p.deliverableId),
		service: async (tx, { actor, deliverableId }) =>
			first(
				await tx`
					with orgs as (
						select om.org_id from public.org_members om where om.user_id = ${actor.userId}
					)
					select v.id, v.number, v.file_name as "fileName", v.mime_type as "mimeType",
						v.duration_ms as "durationMs", v.submitted_at as "submittedAt",
						v.storage_path as "storagePath"
					from public.deliverables d
					join public.deliverable_versions v on v.id = d.current_version_id
					where d.id = ${deliverableId}
						and d.org_id in (select org_id from orgs)
						and v.org_id in (select org_id from orgs)`
			),
		lean: async (tx, { actor, deliverableId }) =>
			first(
				await tx`
					select v.id, v.number, v.file_name as "fileName", v.mime_type as "mimeType",
						v.duration_ms as "durationMs", v.submitted_at as "submittedAt",
						v.storage_path as "storagePath"
					from public.deliverables d
					join public.deliverable_versions v on v.id = d.current_version_id
					where d.id = ${deliverableId}
						and d.org_id in (
							select om.org_id from public.org_members om where om.user_id = ${actor.userId}
						)`
			)
	},
	{
		// To a member of the comment's org the label is always the author's own name.
		name: 'studio: comments',
		audience: 'studio',
		rls: (tx, p) => listStudioComments(tx, p.deliverableId),
		service: (tx, { actor, deliverableId }) => tx`
			with orgs as (
				select om.org_id from public.org_members om where om.user_id = ${actor.userId}
			)
			select c.id, c.body, c.at_ms as "atMs", c.created_at as "createdAt",
				coalesce(ac.full_name, m.display_name) as author,
				c.author_user_id = ${actor.userId} as mine,
				v.number as "versionNumber", c.visibility
			from public.comments c
			join public.deliverable_versions v on v.id = c.version_id
			left join public.client_contacts ac
				on ac.id = c.author_contact_id and ac.org_id in (select org_id from orgs)
			left join public.org_members m
				on m.id = c.author_member_id and m.org_id in (select org_id from orgs)
			where c.deliverable_id = ${deliverableId} and c.deleted_at is null
				and c.org_id in (select org_id from orgs)
				and v.org_id in (select org_id from orgs)
			order by c.at_ms nulls first, c.created_at`,
		lean: (tx, { actor, deliverableId }) => tx`
			select c.id, c.body, c.at_ms as "atMs", c.created_at as "createdAt",
				coalesce(ac.full_name, m.display_name) as author,
				c.author_user_id = ${actor.userId} as mine,
				v.number as "versionNumber", c.visibility
			from public.comments c
			join public.deliverable_versions v on v.id = c.version_id
			left join public.client_contacts ac on ac.id = c.author_contact_id
			left join public.org_members m on m.id = c.author_member_id
			where c.deliverable_id = ${deliverableId} and c.deleted_at is null
				and c.org_id in (
					select om.org_id from public.org_members om where om.user_id = ${actor.userId}
				)
			order by c.at_ms nulls first, c.created_at`
	},
	{
		name: 'studio: decisions',
		audience: 'studio',
		rls: (tx, p) => listStudioDecisions(tx, p.deliverableId),
		service: (tx, { actor, deliverableId }) => tx`
			with orgs as (
				select om.org_id from public.org_members om where om.user_id = ${actor.userId}
			)
			select r.id, r.decision, r.note, r.created_at as "createdAt",
				cc.full_name as "contactName", v.number as "versionNumber"
			from public.review_decisions r
			join public.client_contacts cc on cc.id = r.contact_id
			join public.deliverable_versions v on v.id = r.version_id
			where r.deliverable_id = ${deliverableId}
				and r.org_id in (select org_id from orgs)
				and cc.org_id in (select org_id from orgs)
				and v.org_id in (select org_id from orgs)
			order by r.created_at desc`,
		lean: (tx, { actor, deliverableId }) => tx`
			select r.id, r.decision, r.note, r.created_at as "createdAt",
				cc.full_name as "contactName", v.number as "versionNumber"
			from public.review_decisions r
			join public.client_contacts cc on cc.id = r.contact_id
			join public.deliverable_versions v on v.id = r.version_id
			where r.deliverable_id = ${deliverableId}
				and r.org_id in (
					select om.org_id from public.org_members om where om.user_id = ${actor.userId}
				)
			order by r.created_at desc`
	}
];

export const querySpecs: QuerySpec[] = [...portal, ...studio];
