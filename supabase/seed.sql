-- Sample data for local development and the smoke tests (not a migration; safe to run twice).
-- Apply with: psql "$DATABASE_URL" -f supabase/seed.sql

insert into auth.users (id, email)
values ('00000000-0000-4000-8000-000000000001', 'owner@example.com')
on conflict do nothing;

insert into public.workspaces (id, slug, name)
values ('11111111-1111-4111-8111-111111111111', 'coba-gigaviz', 'Coba Gigaviz')
on conflict do nothing;

insert into public.workspace_memberships (workspace_id, user_id, role)
values ('11111111-1111-4111-8111-111111111111', '00000000-0000-4000-8000-000000000001', 'owner')
on conflict do nothing;

insert into public.wa_phone_numbers (id, workspace_id, phone_number_id, waba_id, display_phone_number, display_name, status)
values ('22222222-2222-4222-8222-222222222222', '11111111-1111-4111-8111-111111111111',
        '100000000000001', '200000000000001', '+62 811 0000 0001', 'Gigaviz Support', 'active')
on conflict do nothing;

insert into public.wa_threads (id, workspace_id, connection_id, phone_number_id, contact_wa_id, contact_name,
                               last_message_preview, last_message_at, unread_count)
values
  ('33333333-3333-4333-8333-333333333331', '11111111-1111-4111-8111-111111111111', '22222222-2222-4222-8222-222222222222',
   '100000000000001', '6281100000101', 'Sari', 'Halo, pesanan saya sudah dikirim?', now() - interval '5 minutes', 1),
  ('33333333-3333-4333-8333-333333333332', '11111111-1111-4111-8111-111111111111', '22222222-2222-4222-8222-222222222222',
   '100000000000001', '6281100000102', 'Budi', 'Terima kasih!', now() - interval '1 hour', 0)
on conflict do nothing;

insert into public.groups (wa_group_id, name, monitor)
values ('1203XXXXXXX@g.us', 'Sample Group', false)
on conflict (wa_group_id) do nothing;
