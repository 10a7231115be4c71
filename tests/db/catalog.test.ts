/**
 * Catalog checks that fail the build when a rule of the data model's "Grants and checks" is
 * broken anywhere, not only in the tables the other tests know about.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectAdmin, sorted, type Sql } from '../support/actors.ts';

let admin: Sql;

beforeAll(() => {
	admin = connectAdmin();
});

afterAll(async () => {
	await admin.end();
});

/**
 * The security definer functions an API role may execute, each on purpose: the RLS helpers
 * (policies run them as the caller) and the client actions. Adding one here is a review point.
 */
const CALLABLE_DEFINERS = [
	'private.active_client_ids()',
	'private.active_contact_org_ids()',
	'private.admin_org_ids()',
	'private.contact_deliverable_ids()',
	'private.contact_storage_paths()',
	'private.contact_version_ids()',
	'private.is_client_comment(uuid)',
	'private.member_org_ids()',
	'private.realtime_topics()',
	'public.approve_version(uuid, text)',
	'public.comment_author_label(uuid)',
	'public.comment_author_labels(uuid)',
	'public.delete_comment(uuid)',
	'public.request_revision(uuid, text)'
].map((fn) => `authenticated ${fn}`);

const EXPOSED_SCHEMAS = ['public', 'graphql_public'];

/**
 * Platform tables the API roles hold grants on without any policy, so RLS leaves them empty to
 * users: the Storage API reads buckets as its own role.
 */
const PLATFORM_TABLES_WITHOUT_POLICIES = ['storage.buckets'];
const USER_SCHEMAS_SQL = `n.nspname not in ('pg_catalog', 'information_schema', 'pg_toast')`;

describe('the catalog', () => {
	it('has row level security on every table in an exposed schema', async () => {
		const tables = await admin<{ name: string }[]>`
			select n.nspname || '.' || c.relname as name
			from pg_class c
			join pg_namespace n on n.oid = c.relnamespace
			where n.nspname = any (${EXPOSED_SCHEMAS}) and c.relkind in ('r', 'p')
				and not c.relrowsecurity
		`;

		expect(tables).toEqual([]);
	});

	it('has a policy on every table granted to authenticated', async () => {
		const tables = await admin<{ name: string }[]>`
			select n.nspname || '.' || c.relname as name
			from pg_class c
			join pg_namespace n on n.oid = c.relnamespace
			where n.nspname = any (${EXPOSED_SCHEMAS}) and c.relkind in ('r', 'p')
				and (
					has_table_privilege('authenticated', c.oid, 'select, insert, update, delete')
					or has_any_column_privilege('authenticated', c.oid, 'select, insert, update')
				)
				and not exists (select 1 from pg_policy p where p.polrelid = c.oid)
		`;

		expect(tables).toEqual([]);
	});

	it('grants anon nothing on any table in an exposed schema', async () => {
		const tables = await admin<{ name: string }[]>`
			select n.nspname || '.' || c.relname as name
			from pg_class c
			join pg_namespace n on n.oid = c.relnamespace
			where n.nspname = any (${EXPOSED_SCHEMAS}) and c.relkind in ('r', 'p', 'v', 'm')
				and (
					has_table_privilege(
						'anon', c.oid, 'select, insert, update, delete, truncate, references, trigger'
					)
					or has_any_column_privilege('anon', c.oid, 'select, insert, update, references')
				)
		`;

		expect(tables).toEqual([]);
	});

	it('has only security_invoker views in exposed schemas', async () => {
		const views = await admin<{ name: string }[]>`
			select n.nspname || '.' || c.relname as name
			from pg_class c
			join pg_namespace n on n.oid = c.relnamespace
			where n.nspname = any (${EXPOSED_SCHEMAS}) and c.relkind = 'v'
				and not coalesce('security_invoker=true' = any (c.reloptions), false)
				and not coalesce('security_invoker=on' = any (c.reloptions), false)
		`;

		expect(views).toEqual([]);
	});

	it('has no policy that reads user metadata', async () => {
		const policies = await admin<{ name: string }[]>`
			select schemaname || '.' || tablename || ': ' || policyname as name
			from pg_policies
			where concat(qual, ' ', with_check) ~* '(raw_)?user_meta_?data'
		`;

		expect(policies).toEqual([]);
	});

	it('has only policies for authenticated in public and storage', async () => {
		const policies = await admin<{ name: string }[]>`
			select schemaname || '.' || tablename || ': ' || policyname as name
			from pg_policies
			where schemaname in ('public', 'storage') and roles <> '{authenticated}'
		`;

		expect(policies).toEqual([]);
	});

	it('fixes an empty search_path on every security definer function', async () => {
		const functions = await admin<{ name: string }[]>`
			select n.nspname || '.' || p.proname || '(' || oidvectortypes(p.proargtypes) || ')' as name
			from pg_proc p
			join pg_namespace n on n.oid = p.pronamespace
			where p.prosecdef and ${admin.unsafe(USER_SCHEMAS_SQL)}
				and not coalesce('search_path=""' = any (p.proconfig), false)
		`;

		expect(functions).toEqual([]);
	});

	it('lets anon and authenticated execute only the allow-listed definer functions', async () => {
		const callable = await admin<{ grant: string }[]>`
			select r.rolname || ' ' || n.nspname || '.' || p.proname || '(' || oidvectortypes(p.proargtypes) || ')' as grant
			from pg_proc p
			join pg_namespace n on n.oid = p.pronamespace
			cross join (select rolname from pg_roles where rolname in ('anon', 'authenticated')) r
			where p.prosecdef and ${admin.unsafe(USER_SCHEMAS_SQL)}
				and has_function_privilege(r.rolname, p.oid, 'execute')
			order by 1
		`;

		expect(callable.map((row) => row.grant)).toEqual(sorted(CALLABLE_DEFINERS));
	});

	it('has row level security on every table an API role holds any right on', async () => {
		const tables = await admin<{ name: string }[]>`
			select n.nspname || '.' || c.relname as name
			from pg_class c
			join pg_namespace n on n.oid = c.relnamespace
			cross join (select rolname from pg_roles where rolname in ('anon', 'authenticated')) r
			where ${admin.unsafe(USER_SCHEMAS_SQL)} and c.relkind in ('r', 'p')
				and (
					has_table_privilege(
						r.rolname, c.oid, 'select, insert, update, delete, truncate, references, trigger'
					)
					or has_any_column_privilege(r.rolname, c.oid, 'select, insert, update, references')
				)
				and not c.relrowsecurity
			group by 1
		`;

		expect(tables).toEqual([]);
	});

	it('has a policy on every table granted to authenticated, in any schema', async () => {
		const tables = await admin<{ name: string }[]>`
			select n.nspname || '.' || c.relname as name
			from pg_class c
			join pg_namespace n on n.oid = c.relnamespace
			where ${admin.unsafe(USER_SCHEMAS_SQL)} and c.relkind in ('r', 'p')
				and (
					has_table_privilege('authenticated', c.oid, 'select, insert, update, delete')
					or has_any_column_privilege('authenticated', c.oid, 'select, insert, update')
				)
				and not exists (select 1 from pg_policy p where p.polrelid = c.oid)
				and n.nspname || '.' || c.relname <> all (${PLATFORM_TABLES_WITHOUT_POLICIES})
		`;

		expect(tables).toEqual([]);
	});

	it('grants no materialized view to an API role (they cannot have row level security)', async () => {
		const views = await admin<{ name: string }[]>`
			select n.nspname || '.' || c.relname as name
			from pg_class c
			join pg_namespace n on n.oid = c.relnamespace
			where ${admin.unsafe(USER_SCHEMAS_SQL)} and c.relkind = 'm'
				and (has_table_privilege('anon', c.oid, 'select')
					or has_table_privilege('authenticated', c.oid, 'select'))
		`;

		expect(views).toEqual([]);
	});

	it('has no policy and no function a policy may call that reads user metadata', async () => {
		const functions = await admin<{ name: string }[]>`
			select n.nspname || '.' || p.proname as name
			from pg_proc p
			join pg_namespace n on n.oid = p.pronamespace
			where n.nspname in ('public', 'private')
				and p.prosrc ~* '(raw_)?user_meta_?data'
		`;

		expect(functions).toEqual([]);
	});

	it('has only policies for authenticated on realtime.messages', async () => {
		const policies = await admin<{ name: string; roles: string[] }[]>`
			select policyname as name, roles from pg_policies
			where schemaname = 'realtime' and tablename = 'messages'
		`;

		expect(policies.length).toBeGreaterThan(0);
		expect(policies.filter((p) => p.roles.join() !== 'authenticated')).toEqual([]);
	});

	it('calls every argument-less helper in a policy through a sub-select, once per query', async () => {
		const policies = await admin<{ name: string; expression: string }[]>`
			select schemaname || '.' || tablename || ': ' || policyname as name,
				concat(qual, ' ', with_check) as expression
			from pg_policies
			where schemaname in ('public', 'storage', 'realtime')
		`;

		// Deparsed, a wrapped call reads `SELECT private.f()` or `FROM private.f()`.
		const unwrapped = policies.filter((policy) =>
			/(?<!(SELECT|FROM) )(private|auth)\.\w+\(\)/.test(policy.expression)
		);
		expect(unwrapped.map((policy) => policy.name)).toEqual([]);
	});

	it('describes every table in public with a comment', async () => {
		const tables = await admin<{ name: string }[]>`
			select c.relname as name
			from pg_class c
			join pg_namespace n on n.oid = c.relnamespace
			where n.nspname = 'public' and c.relkind in ('r', 'p')
				and coalesce(obj_description(c.oid, 'pg_class'), '') = ''
		`;

		expect(tables).toEqual([]);
	});

	it('indexes the leading column of every foreign key in public', async () => {
		const keys = await admin<{ name: string }[]>`
			select con.conrelid::regclass::text || ': ' || con.conname as name
			from pg_constraint con
			join pg_namespace n on n.oid = con.connamespace
			where n.nspname = 'public' and con.contype = 'f'
				and not exists (
					select 1 from pg_index i
					where i.indrelid = con.conrelid and i.indkey[0] = con.conkey[1]
				)
		`;

		expect(keys).toEqual([]);
	});

	it('gives anon no access to the private schema', async () => {
		const [row] = await admin<{ usage: boolean }[]>`
			select has_schema_privilege('anon', 'private', 'usage') as usage
		`;

		expect(row.usage).toBe(false);
	});
});
