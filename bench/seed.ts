/**
 * Fills an empty, migrated database with a large studio workload in set-based SQL: every row
 * comes from generate_series, ids are md5 hashes of (kind, number) so foreign keys are computed
 * rather than joined, and the rows of one client, deliverable or version are spread over the
 * heap (as years of interleaved work would leave them) rather than packed together, which would
 * flatter index scans.
 */
import type postgres from 'postgres';

export const scale = {
	orgs: 50,
	clientsPerOrg: 40,
	membersPerOrg: 5,
	contactsPerClient: 2,
	showsPerClient: 2,
	episodesPerShow: 10,
	deliverables: 100_000,
	comments: 1_000_000,
	// Deliverables with long review threads (100 extra comments each, out of the total above).
	busyDeliverables: 1_000
};

const clients = scale.orgs * scale.clientsPerOrg;
const members = scale.orgs * scale.membersPerOrg;
const contacts = clients * scale.contactsPerClient;
const shows = clients * scale.showsPerClient;
const episodes = shows * scale.episodesPerShow;
// A tenth of the clients also have a revoked contact; the first 200 contacts are also active
// contacts of a second client, in another studio (agencies, freelancers).
const revokedContacts = clients / 10;
const sharedContacts = 200;
const busyComments = scale.busyDeliverables * 100;
// Busy deliverable k is number k * 97 + 7: 97 shares no factor with the numbers of studios and
// clients, so long threads fall in every studio and across the clients, not all in one.
const busyStride = 97;
const regularComments = scale.comments - busyComments;

// Numbering: client c belongs to org ((c-1) % orgs) + 1, contact k to client ((k-1) % clients)
// + 1, show s to client ((s-1) % clients) + 1, episode e to show ((e-1) % shows) + 1, and
// deliverable d to episode ((d-1) % episodes) + 1. Because clients is a multiple of orgs and
// shows and episodes multiples of clients, the client of a show, episode or deliverable numbered
// n is ((n-1) % clients) + 1 and its org ((n-1) % orgs) + 1.

const functions = `
create function pg_temp.bid(kind text, n bigint) returns uuid
language sql immutable as $$ select md5(kind || ':' || n)::uuid $$;

-- A deterministic pseudo-random integer in [0, m): the same on every run and every server.
create function pg_temp.rnd(n bigint, salt int, m int) returns int
language sql immutable as $$ select ((hashint8(n * 7919 + salt) & 2147483647) % m)::int $$;

create function pg_temp.client_of(n bigint) returns bigint
language sql immutable as $$ select (n - 1) % ${clients} + 1 $$;

create function pg_temp.org_of(n bigint) returns bigint
language sql immutable as $$ select (n - 1) % ${scale.orgs} + 1 $$;

-- draft 15 %, in_review 35 %, revision_requested 15 %, approved 35 %.
create function pg_temp.status_of(d bigint) returns public.deliverable_status
language sql immutable as $$
  select case
    when pg_temp.rnd(d, 1, 20) < 3 then 'draft'
    when pg_temp.rnd(d, 1, 20) < 10 then 'in_review'
    when pg_temp.rnd(d, 1, 20) < 13 then 'revision_requested'
    else 'approved'
  end::public.deliverable_status
$$;

create function pg_temp.versions_of(d bigint) returns int
language sql immutable as $$ select 1 + pg_temp.rnd(d, 2, 3) $$;

create function pg_temp.version_id(d bigint, n int) returns uuid
language sql immutable as $$ select pg_temp.bid('version', d * 4 + n) $$;
`;

const users = `
insert into auth.users (
  instance_id, id, aud, role, email, encrypted_password, email_confirmed_at,
  raw_app_meta_data, raw_user_meta_data, is_super_admin, created_at, updated_at,
  confirmation_token, recovery_token, email_change_token_new, email_change
)
select '00000000-0000-0000-0000-000000000000', u.id, 'authenticated', 'authenticated', u.email,
  '', now(), '{"provider": "email", "providers": ["email"]}', '{}', false, now(), now(),
  '', '', '', ''
from (
  select pg_temp.bid('member-user', m) as id,
    'member' || m || '@studio' || pg_temp.org_of(m) || '.example' as email
  from generate_series(1, ${members}) m
  union all
  select pg_temp.bid('contact-user', k),
    'contact' || k || '@client' || pg_temp.client_of(k) || '.example'
  from generate_series(1, ${contacts + revokedContacts}) k
) u;
`;

const studios = `
insert into public.orgs (id, name, slug, timezone)
select pg_temp.bid('org', o), 'Studio ' || o, 'studio-' || o,
  (array['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Tokyo'])[1 + o % 4]
from generate_series(1, ${scale.orgs}) o;

insert into public.org_branding (org_id, display_name, accent_color, show_team_names)
select pg_temp.bid('org', o), 'Studio ' || o || ' Audio', '#3b5bdb', o % 2 = 0
from generate_series(1, ${scale.orgs}) o;

insert into public.org_members (id, org_id, user_id, role, display_name)
select pg_temp.bid('member', m), pg_temp.bid('org', pg_temp.org_of(m)),
  pg_temp.bid('member-user', m),
  case when m <= ${scale.orgs} then 'owner' when m <= ${2 * scale.orgs} then 'admin'
    else 'producer' end::public.org_role,
  'Member ' || m
from generate_series(1, ${members}) m;

insert into public.clients (id, org_id, name, archived_at)
select pg_temp.bid('client', c), pg_temp.bid('org', pg_temp.org_of(c)), 'Client ' || c,
  case when c % 50 = 0 then now() - interval '30 days' end
from generate_series(1, ${clients}) c;
`;

const clientContacts = `
insert into public.client_contacts (
  id, org_id, client_id, email, full_name, user_id, invited_at, invited_by, last_seen_at,
  revoked_at, revoked_by
)
select pg_temp.bid('contact', k), pg_temp.bid('org', pg_temp.org_of(c)),
  pg_temp.bid('client', c), 'contact' || u || '@client' || pg_temp.client_of(u) || '.example',
  'Contact ' || u, pg_temp.bid('contact-user', u), now() - interval '90 days',
  pg_temp.bid('member-user', pg_temp.org_of(c)), now() - interval '1 day',
  case when k > ${contacts} and k <= ${contacts + revokedContacts}
    then now() - interval '10 days' end,
  case when k > ${contacts} and k <= ${contacts + revokedContacts}
    then pg_temp.bid('member-user', pg_temp.org_of(c)) end
from (
  select k, k as u, pg_temp.client_of(k) as c
  from generate_series(1, ${contacts}) k
  union all
  select k, k, (k - ${contacts} - 1) * 10 + 1
  from generate_series(${contacts + 1}, ${contacts + revokedContacts}) k
  union all
  select k, k - ${contacts + revokedContacts},
    (pg_temp.client_of(k - ${contacts + revokedContacts}) + ${clients / 2 + 1} - 1)
      % ${clients} + 1
  from generate_series(
    ${contacts + revokedContacts + 1}, ${contacts + revokedContacts + sharedContacts}
  ) k
) x;
`;

const showsAndEpisodes = `
insert into public.shows (id, org_id, client_id, title, description)
select pg_temp.bid('show', s), pg_temp.bid('org', pg_temp.org_of(s)),
  pg_temp.bid('client', pg_temp.client_of(s)), 'Show ' || s, 'A show about ' || s
from generate_series(1, ${shows}) s;

insert into public.episodes (
  id, org_id, client_id, show_id, number, title, description, deadline, client_status,
  published_at
)
select pg_temp.bid('episode', e), pg_temp.bid('org', pg_temp.org_of(e)),
  pg_temp.bid('client', pg_temp.client_of(e)), pg_temp.bid('show', (e - 1) % ${shows} + 1),
  (e - 1) / ${shows} + 1, 'Episode ' || e, 'What episode ' || e || ' covers',
  date '2026-09-01' + pg_temp.rnd(e, 3, 180),
  (array['in_progress', 'ready_for_review', 'approved', 'published'])[1 + pg_temp.rnd(e, 4, 4)]
    ::public.client_status,
  null
from generate_series(1, ${episodes}) e;
`;

const deliverables = `
insert into public.deliverables (
  id, org_id, client_id, episode_id, kind, title, description, status, current_version_id,
  feedback_due, created_at, updated_at, client_visible
)
select pg_temp.bid('deliverable', d), pg_temp.bid('org', pg_temp.org_of(d)),
  pg_temp.bid('client', pg_temp.client_of(d)), pg_temp.bid('episode', (d - 1) % ${episodes} + 1),
  (enum_range(null::public.deliverable_kind))[1 + pg_temp.rnd(d, 5, 8)],
  'Deliverable ' || d, 'Notes for deliverable ' || d, pg_temp.status_of(d),
  case when pg_temp.status_of(d) <> 'draft' then pg_temp.version_id(d, pg_temp.versions_of(d))
    end,
  case when pg_temp.rnd(d, 6, 10) < 6 then date '2026-12-01' + pg_temp.rnd(d, 7, 60) end,
  now() - make_interval(secs => pg_temp.rnd(d, 8, 31536000)),
  now() - make_interval(secs => pg_temp.rnd(d, 9, 2592000)),
  -- Every deliverable out of draft has submitted versions, so that alone decides.
  pg_temp.status_of(d) <> 'draft'
from generate_series(1, ${scale.deliverables}) d;

-- Versions numbered within their deliverable, inserted round by round (all first versions,
-- then all second ones) so one deliverable's versions sit on different pages.
insert into public.deliverable_versions (
  id, org_id, client_id, deliverable_id, number, storage_path, file_name, mime_type,
  size_bytes, sha256, duration_ms, uploaded_by, submitted_at, client_visible
)
select pg_temp.version_id(d, n), pg_temp.bid('org', pg_temp.org_of(d)),
  pg_temp.bid('client', pg_temp.client_of(d)), pg_temp.bid('deliverable', d), n,
  pg_temp.bid('org', pg_temp.org_of(d)) || '/' || pg_temp.bid('deliverable', d) || '/'
    || pg_temp.version_id(d, n) || '/mix-v' || n || '.wav',
  'mix-v' || n || '.wav', 'audio/wav', 10000000 + pg_temp.rnd(d, 10, 90000000),
  md5('a' || d || n) || md5('b' || d || n), 60000 + pg_temp.rnd(d, 11, 3540000),
  pg_temp.bid('member-user', pg_temp.org_of(d)),
  case when pg_temp.status_of(d) <> 'draft'
    then now() - make_interval(days => 4 - n) end,
  pg_temp.status_of(d) <> 'draft'
from generate_series(1, 3) n
cross join generate_series(1, ${scale.deliverables}) d
where n <= pg_temp.versions_of(d)
order by n, d;
`;

// Comment i goes to deliverable ((i-1) % deliverables) + 1 for the regular ones, spreading one
// deliverable's comments over the whole table; the busy deliverables get the rest. Contacts
// write half of the client-visible comments; members write the others and all internal ones.
const commentRows = `
insert into public.comments (
  org_id, client_id, deliverable_id, version_id, author_user_id, author_contact_id,
  author_member_id, visibility, body, at_ms, end_ms, resolved_at, deleted_at, created_at,
  client_visible
)
select pg_temp.bid('org', pg_temp.org_of(x.d)), pg_temp.bid('client', pg_temp.client_of(x.d)),
  pg_temp.bid('deliverable', x.d), pg_temp.version_id(x.d, x.n),
  case when x.by_contact then pg_temp.bid('contact-user', x.contact)
    else pg_temp.bid('member-user', x.member) end,
  case when x.by_contact then pg_temp.bid('contact', x.contact) end,
  case when not x.by_contact then pg_temp.bid('member', x.member) end,
  x.visibility,
  'Comment ' || x.i || ': the levels around this point need another look, please check.',
  x.at_ms, case when x.at_ms is not null and pg_temp.rnd(x.i, 12, 4) = 0 then x.at_ms + 5000 end,
  case when pg_temp.rnd(x.i, 13, 5) = 0 then now() - interval '2 days' end,
  x.deleted,
  now() - make_interval(secs => pg_temp.rnd(x.i, 15, 31536000)),
  -- Client comments fall only on deliverables out of draft, whose versions are all submitted.
  x.visibility = 'client' and x.deleted is null
from (
  select y.i, y.d, 1 + (y.round % pg_temp.versions_of(y.d)) as n,
    y.visibility,
    y.visibility = 'client' and pg_temp.rnd(y.i, 16, 2) = 0 as by_contact,
    pg_temp.client_of(y.d) + ${clients} * pg_temp.rnd(y.i, 17, ${scale.contactsPerClient})
      as contact,
    pg_temp.org_of(y.d) + ${scale.orgs} * pg_temp.rnd(y.i, 18, ${scale.membersPerOrg}) as member,
    case when pg_temp.rnd(y.i, 19, 10) = 0 then null else pg_temp.rnd(y.i, 20, 1800000) end
      as at_ms,
    case when pg_temp.rnd(y.i, 14, 33) = 0 then now() - interval '1 day' end as deleted
  from (
    select z.i, z.d, z.round,
      case when pg_temp.status_of(z.d) <> 'draft' and pg_temp.rnd(z.i, 21, 10) < 6
        then 'client' else 'internal' end::public.comment_visibility as visibility
    from (
      select i, (i - 1) % ${scale.deliverables} + 1 as d, (i - 1) / ${scale.deliverables} as round
      from generate_series(1, ${regularComments}) i
      union all
      select i, ((i - 1) % ${scale.busyDeliverables}) * ${busyStride} + 7, i
      from generate_series(${regularComments + 1}, ${scale.comments}) i
    ) z
  ) y
) x;
`;

// Earlier versions were sent back; the current one carries the deliverable's own outcome.
const decisions = `
insert into public.review_decisions (
  org_id, client_id, deliverable_id, version_id, contact_id, decided_by, decision, note,
  created_at
)
select pg_temp.bid('org', pg_temp.org_of(d)), pg_temp.bid('client', pg_temp.client_of(d)),
  pg_temp.bid('deliverable', d), pg_temp.version_id(d, n),
  pg_temp.bid('contact', pg_temp.client_of(d)),
  pg_temp.bid('contact-user', pg_temp.client_of(d)), k.decision,
  case when k.decision = 'revision_requested' then 'Please tighten the intro.' end,
  now() - make_interval(days => 4 - n, hours => 1)
from generate_series(1, ${scale.deliverables}) d
cross join generate_series(1, 3) n
cross join lateral (
  select case
    when n < pg_temp.versions_of(d) then 'revision_requested'
    when pg_temp.status_of(d) = 'approved' then 'approved'
    when pg_temp.status_of(d) = 'revision_requested' then 'revision_requested'
  end::public.review_decision_kind as decision
) k
where n <= pg_temp.versions_of(d) and pg_temp.status_of(d) <> 'draft' and k.decision is not null;
`;

// Composite foreign keys were not checked while triggers were off, nor were the client_visible
// flags kept; these would find a row whose scope columns disagree with its parent's, or a
// wrong flag.
const integrity = `
select
  (select count(*) from public.comments c
    left join public.deliverable_versions v
      on v.id = c.version_id and v.deliverable_id = c.deliverable_id
        and v.client_id = c.client_id and v.org_id = c.org_id
    where v.id is null) as comments,
  (select count(*) from public.comments c
    left join public.client_contacts cc on cc.id = c.author_contact_id
      and cc.client_id = c.client_id
    left join public.org_members m on m.id = c.author_member_id and m.org_id = c.org_id
    where cc.id is null and m.id is null) as authors,
  (select count(*) from public.deliverables d
    left join public.episodes e
      on e.id = d.episode_id and e.client_id = d.client_id and e.org_id = d.org_id
    where e.id is null) as deliverables,
  (select count(*) from public.review_decisions r
    left join public.client_contacts cc on cc.id = r.contact_id and cc.client_id = r.client_id
    where cc.id is null) as decisions,
  -- The client_visible flags the triggers would have set (20261204500100).
  (select count(*) from public.deliverables d
    where d.client_visible is distinct from (d.status <> 'draft' and exists (
      select 1 from public.deliverable_versions v
      where v.deliverable_id = d.id and v.submitted_at is not null))) as deliverable_flags,
  (select count(*) from public.deliverable_versions v
    join public.deliverables d on d.id = v.deliverable_id
    where v.client_visible is distinct from (v.submitted_at is not null and d.status <> 'draft'))
    as version_flags,
  (select count(*) from public.comments c
    join public.deliverable_versions v on v.id = c.version_id
    where c.client_visible is distinct from
      (c.visibility = 'client' and c.deleted_at is null and v.client_visible)) as comment_flags
`;

export interface SeedStep {
	label: string;
	ms: number;
}

/**
 * Seeds through one superuser connection. Triggers and foreign-key checks are off for the
 * session (session_replication_role = replica): the rows are consistent by construction, and
 * the comment trigger would otherwise write a million activity rows nobody reads here.
 */
export async function seed(
	sql: postgres.Sql,
	progress: (line: string) => void
): Promise<SeedStep[]> {
	const steps: SeedStep[] = [];

	async function step(label: string, text: string) {
		const start = performance.now();
		await sql.unsafe(text);
		const ms = performance.now() - start;
		steps.push({ label, ms });
		progress(`  seeded ${label} in ${(ms / 1000).toFixed(1)} s`);
	}

	await sql.unsafe(`set session_replication_role = replica; set maintenance_work_mem = '256MB'`);
	await step('helpers', functions);
	await step(`${members + contacts + revokedContacts} auth users`, users);
	await step(`${scale.orgs} studios, ${members} members, ${clients} clients`, studios);
	await step(`${contacts + revokedContacts + sharedContacts} client contacts`, clientContacts);
	await step(`${shows} shows, ${episodes} episodes`, showsAndEpisodes);
	await step(`${scale.deliverables} deliverables and their versions`, deliverables);
	await step(`${scale.comments} comments`, commentRows);
	await step('review decisions', decisions);
	await sql.unsafe(`set session_replication_role = origin`);

	const [broken] = await sql.unsafe<Record<string, string>[]>(integrity);
	const bad = Object.entries(broken).filter(([, count]) => Number(count) !== 0);
	if (bad.length > 0) {
		throw new Error(`Seed left inconsistent rows: ${JSON.stringify(Object.fromEntries(bad))}`);
	}

	// What autovacuum would have done on a database this old: statistics for the planner and
	// visibility maps for index-only scans.
	await step('vacuum analyze', 'vacuum (analyze)');
	return steps;
}
