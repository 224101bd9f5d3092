drop function if exists public.set_workspace_entitlement(text, text, boolean, timestamptz, text);
drop function if exists public.set_workspace_entitlement_payload(uuid, text, boolean, jsonb, timestamptz, text);
drop function if exists public.apply_workspace_token_delta(uuid, bigint, text, text, text, uuid);
drop table if exists public.workspace_token_ledger;
drop table if exists public.workspace_token_balance;
drop table if exists public.workspace_entitlements;
