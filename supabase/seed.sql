-- Demo data for local development and the end-to-end tests: the studio "Northwind Audio" with
-- two clients, each with a deliverable waiting for review.
--
-- Fixed ids, readable by kind: ...0000001xx users, 2xx orgs and members, 3xx clients, 4xx
-- contacts, 5xx shows, 6xx episodes, 7xx deliverables, 8xx versions, 9xx comments.
-- The media files are in supabase/seed-media/ (named by each version's file_name); the local
-- stack uploads them to the `deliverables` bucket after seeding. Sizes, hashes and durations
-- below are those files'.
--
-- Only the producer has an auth user. The contacts get theirs when they first sign in by
-- magic link, which links their client_contacts row.

-- The producer, as GoTrue stores a confirmed, passwordless email user. GoTrue reads the token
-- columns as strings, so they are '' rather than null.
insert into auth.users (
  instance_id, id, aud, role, email, encrypted_password, email_confirmed_at,
  raw_app_meta_data, raw_user_meta_data, is_super_admin, created_at, updated_at,
  confirmation_token, recovery_token, email_change_token_new, email_change
)
values (
  '00000000-0000-0000-0000-000000000000', '00000000-0000-4000-8000-000000000101',
  'authenticated', 'authenticated', 'producer@northwind.example', '', now(),
  '{"provider": "email", "providers": ["email"]}',
  jsonb_build_object(
    'sub', '00000000-0000-4000-8000-000000000101', 'email', 'producer@northwind.example',
    'email_verified', true, 'phone_verified', false
  ),
  false, now(), now(), '', '', '', ''
);

insert into auth.identities (
  id, provider_id, user_id, identity_data, provider, last_sign_in_at, created_at, updated_at
)
values (
  '00000000-0000-4000-8000-000000000102', '00000000-0000-4000-8000-000000000101',
  '00000000-0000-4000-8000-000000000101',
  jsonb_build_object(
    'sub', '00000000-0000-4000-8000-000000000101', 'email', 'producer@northwind.example',
    'email_verified', true, 'phone_verified', false
  ),
  'email', null, now(), now()
);

-- The studio --------------------------------------------------------------------------------

insert into public.orgs (id, name, slug)
values ('00000000-0000-4000-8000-000000000201', 'Northwind Audio', 'northwind');

insert into public.org_branding (org_id, display_name, accent_color)
values ('00000000-0000-4000-8000-000000000201', 'Northwind Audio', '#3b5bdb');

insert into public.org_members (id, org_id, user_id, role, display_name)
values (
  '00000000-0000-4000-8000-000000000202', '00000000-0000-4000-8000-000000000201',
  '00000000-0000-4000-8000-000000000101', 'owner', 'Priya Shah'
);

-- Clients and their contacts ----------------------------------------------------------------

insert into public.clients (id, org_id, name)
values
  (
    '00000000-0000-4000-8000-000000000301', '00000000-0000-4000-8000-000000000201',
    'Clearwater Coffee'
  ),
  (
    '00000000-0000-4000-8000-000000000302', '00000000-0000-4000-8000-000000000201',
    'Field Notes Media'
  );

insert into public.client_contacts (id, org_id, client_id, email, full_name, invited_at, invited_by)
values
  (
    '00000000-0000-4000-8000-000000000401', '00000000-0000-4000-8000-000000000201',
    '00000000-0000-4000-8000-000000000301', 'maya@clearwater.example', 'Maya Lindqvist',
    now() - interval '14 days', '00000000-0000-4000-8000-000000000101'
  ),
  (
    '00000000-0000-4000-8000-000000000402', '00000000-0000-4000-8000-000000000201',
    '00000000-0000-4000-8000-000000000302', 'jon@fieldnotes.example', 'Jon Okafor',
    now() - interval '14 days', '00000000-0000-4000-8000-000000000101'
  );

-- Shows and episodes ------------------------------------------------------------------------

insert into public.shows (id, org_id, client_id, title, description)
values
  (
    '00000000-0000-4000-8000-000000000501', '00000000-0000-4000-8000-000000000201',
    '00000000-0000-4000-8000-000000000301', 'Morning Pour',
    'Conversations with the growers, roasters and baristas behind a good cup.'
  ),
  (
    '00000000-0000-4000-8000-000000000502', '00000000-0000-4000-8000-000000000201',
    '00000000-0000-4000-8000-000000000302', 'Field Notes',
    'Scientists and naturalists on the work they do outdoors.'
  );

insert into public.episodes (
  id, org_id, client_id, show_id, number, title, description, deadline, client_status
)
values
  (
    '00000000-0000-4000-8000-000000000601', '00000000-0000-4000-8000-000000000201',
    '00000000-0000-4000-8000-000000000301', '00000000-0000-4000-8000-000000000501', 12,
    'Single-Origin Stories',
    'A family farm in the hills and the three generations who grow its coffee.',
    current_date + 7, 'ready_for_review'
  ),
  (
    '00000000-0000-4000-8000-000000000602', '00000000-0000-4000-8000-000000000201',
    '00000000-0000-4000-8000-000000000301', '00000000-0000-4000-8000-000000000501', 13,
    'A Day at the Cupping Table',
    'A green coffee buyer tastes thirty samples in one morning.',
    current_date + 21, 'in_progress'
  ),
  (
    '00000000-0000-4000-8000-000000000603', '00000000-0000-4000-8000-000000000201',
    '00000000-0000-4000-8000-000000000302', '00000000-0000-4000-8000-000000000502', 3,
    'Dawn on the Delta',
    'Twenty years of counting migrating birds along the river levee.',
    current_date + 10, 'ready_for_review'
  );

-- Deliverables and versions -------------------------------------------------------------------

-- current_version_id is set once the submitted version exists (it references it).
insert into public.deliverables (
  id, org_id, client_id, episode_id, kind, title, description, status, feedback_due
)
values
  (
    '00000000-0000-4000-8000-000000000701', '00000000-0000-4000-8000-000000000201',
    '00000000-0000-4000-8000-000000000301', '00000000-0000-4000-8000-000000000601',
    'final_mix', 'Episode 12 Final Mix',
    'Mixed and mastered to -16 LUFS, with the new intro music.', 'in_review', current_date + 5
  ),
  (
    '00000000-0000-4000-8000-000000000702', '00000000-0000-4000-8000-000000000201',
    '00000000-0000-4000-8000-000000000301', '00000000-0000-4000-8000-000000000602',
    'rough_cut', 'Episode 13 Rough Cut',
    'First assembly; room tone and music still to do.', 'draft', null
  ),
  (
    '00000000-0000-4000-8000-000000000703', '00000000-0000-4000-8000-000000000201',
    '00000000-0000-4000-8000-000000000302', '00000000-0000-4000-8000-000000000603',
    'rough_cut', 'Episode 3 Rough Cut',
    'Story order and pacing; levels are not final.', 'in_review', current_date + 4
  );

insert into public.deliverable_versions (
  id, org_id, client_id, deliverable_id, number, storage_path, file_name, mime_type, size_bytes,
  sha256, duration_ms, uploaded_by, submitted_at
)
values
  (
    '00000000-0000-4000-8000-000000000801', '00000000-0000-4000-8000-000000000201',
    '00000000-0000-4000-8000-000000000301', '00000000-0000-4000-8000-000000000701', 1,
    '00000000-0000-4000-8000-000000000201/00000000-0000-4000-8000-000000000701/'
      || '00000000-0000-4000-8000-000000000801/episode-12-final-mix.wav',
    'episode-12-final-mix.wav', 'audio/wav', 1338080,
    '26665956dd72b3bb8caad9a6cfc9b317cb3cecad22dd8d7db9ad12298b4ac0ca', 41814,
    '00000000-0000-4000-8000-000000000101', now() - interval '1 day'
  ),
  (
    '00000000-0000-4000-8000-000000000802', '00000000-0000-4000-8000-000000000201',
    '00000000-0000-4000-8000-000000000301', '00000000-0000-4000-8000-000000000702', 1,
    '00000000-0000-4000-8000-000000000201/00000000-0000-4000-8000-000000000702/'
      || '00000000-0000-4000-8000-000000000802/episode-13-rough-cut.wav',
    'episode-13-rough-cut.wav', 'audio/wav', 1173428,
    'fbece0c32beeb8f7539af7f5c9bc77ca949ad1d9bd3fd0431f7285d4682fa09f', 36668,
    '00000000-0000-4000-8000-000000000101', null
  ),
  (
    '00000000-0000-4000-8000-000000000803', '00000000-0000-4000-8000-000000000201',
    '00000000-0000-4000-8000-000000000302', '00000000-0000-4000-8000-000000000703', 1,
    '00000000-0000-4000-8000-000000000201/00000000-0000-4000-8000-000000000703/'
      || '00000000-0000-4000-8000-000000000803/episode-3-rough-cut.wav',
    'episode-3-rough-cut.wav', 'audio/wav', 1398372,
    '85a100c62c4bf0f6238fcc23fb43369564ac1398debce7609a907b998b130054', 43698,
    '00000000-0000-4000-8000-000000000101', now() - interval '2 days'
  );

update public.deliverables d
set current_version_id = v.id
from public.deliverable_versions v
where v.deliverable_id = d.id
  and v.submitted_at is not null;

-- Comments (their activity rows come from the comments trigger) -------------------------------

insert into public.comments (
  id, org_id, client_id, deliverable_id, version_id, author_user_id, author_member_id,
  visibility, body, at_ms, created_at
)
values
  (
    '00000000-0000-4000-8000-000000000901', '00000000-0000-4000-8000-000000000201',
    '00000000-0000-4000-8000-000000000301', '00000000-0000-4000-8000-000000000701',
    '00000000-0000-4000-8000-000000000801', '00000000-0000-4000-8000-000000000101',
    '00000000-0000-4000-8000-000000000202', 'client',
    'Here is the final mix. The intro music now sits lower under the welcome, as you asked.',
    4000, now() - interval '1 day'
  ),
  (
    '00000000-0000-4000-8000-000000000902', '00000000-0000-4000-8000-000000000201',
    '00000000-0000-4000-8000-000000000301', '00000000-0000-4000-8000-000000000701',
    '00000000-0000-4000-8000-000000000801', '00000000-0000-4000-8000-000000000101',
    '00000000-0000-4000-8000-000000000202', 'internal',
    'Internal: the outro still has a little hiss; fix it if they ask for another round.',
    38000, now() - interval '1 day'
  );
