-- Speed: public.comment_author_label answers in two lookups: the comment with the caller's
-- standing towards it, then the one name to show.
--
-- Objects: function public.comment_author_label(uuid) (replaced: same signature, grants,
-- comment, definer rights and search path; the same answer for every caller and comment).
-- Destructive: none.
--
-- 20261204300100 made each check an index lookup but ran them as separate statements, five
-- for a contact reading a team member's comment. Each statement a PL/pgSQL function runs costs
-- a few microseconds of its own, paid for every comment row a page lists. Here the first
-- statement reads the comment and decides, in a CASE that stops at the first true branch,
-- whether the caller sees it as a member of its org (an org_members row with the caller's user
-- id) or as a contact who may review its version (submitted, its deliverable out of draft, of
-- a client the caller is an active contact of), or not at all. The label then follows the same
-- order as ever: the contact's name for a contact author; the member's name to members, or to
-- anyone when the studio shows team names; else the studio's display name, or its name.

create or replace function public.comment_author_label(p_comment_id uuid)
returns text
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_uid uuid := auth.uid();
  v_comment record;
begin
  select
    c.org_id,
    c.author_contact_id,
    c.author_member_id,
    case
      when exists (
        select 1
        from public.org_members om
        where om.org_id = c.org_id
          and om.user_id = v_uid
      ) then 'member'
      when c.visibility = 'client' and c.deleted_at is null and exists (
        select 1
        from public.deliverable_versions v
        join public.deliverables d on d.id = v.deliverable_id
        join public.client_contacts ac on ac.client_id = d.client_id
        where v.id = c.version_id
          and v.submitted_at is not null
          and d.status <> 'draft'
          and ac.user_id = v_uid
          and ac.revoked_at is null
      ) then 'contact'
    end as caller
  into v_comment
  from public.comments c
  where c.id = p_comment_id;

  if not found then
    return null;
  end if;

  if v_comment.caller is null then
    return null;
  end if;

  if v_comment.author_contact_id is not null then
    return (
      select cc.full_name from public.client_contacts cc where cc.id = v_comment.author_contact_id
    );
  end if;

  if v_comment.caller = 'member' then
    return (
      select m.display_name from public.org_members m where m.id = v_comment.author_member_id
    );
  end if;

  return (
    select
      case
        when coalesce(b.show_team_names, false) then (
          select m.display_name from public.org_members m where m.id = v_comment.author_member_id
        )
        else coalesce(b.display_name, o.name)
      end
    from public.orgs o
    left join public.org_branding b on b.org_id = o.id
    where o.id = v_comment.org_id
  );
end;
$$;
