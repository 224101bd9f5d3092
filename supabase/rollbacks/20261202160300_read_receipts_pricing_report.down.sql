drop function if exists public.ops_pricing_daily(date, date, uuid);
drop function if exists public.wa_queue_read_receipt(uuid);
