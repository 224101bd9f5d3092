-- 20261202030000's wa_inbox_page is still there (this migration left it): drop the windowed list and the columns.
drop function if exists public.wa_inbox_threads(uuid, text, uuid, boolean, text, text, timestamptz, uuid, integer);
alter table public.wa_threads drop column if exists customer_window_expires_at, drop column if exists last_inbound_at;
