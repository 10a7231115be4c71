-- Owners and admins edit their studio's portal branding (name, accent colour, logo, whether
-- clients see team members' names). The logo is an object of the public `branding` bucket
-- under the org's own prefix.
--
-- Objects: table public.org_branding (a check on logo_path, an update grant and policy).
-- Destructive: none; existing rows have no logo_path outside the new rule.

alter table public.org_branding
  add constraint org_branding_logo_path_check check (
    logo_path is null
    or (
      split_part(logo_path, '/', 1) = org_id::text
      and char_length(logo_path) <= 1024
      and lower(logo_path) ~ '\.(png|jpe?g|webp)$'
    )
  );

grant update (display_name, accent_color, logo_path, show_team_names)
  on table public.org_branding to authenticated;

create policy "Admins can edit their org's branding"
  on public.org_branding for update
  to authenticated
  using (org_id = any (array(select private.admin_org_ids())))
  with check (org_id = any (array(select private.admin_org_ids())));
