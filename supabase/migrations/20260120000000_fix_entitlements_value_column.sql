-- Seed 000's fix for error 23502 (null value in column "value" violates not-null constraint):
-- a legacy workspace_entitlements.value column was NOT NULL while the code writes enabled and
-- payload only. Move its data into payload, then make it nullable with a {} default.
-- (apply_workspace_token_delta is already written with table-qualified columns.)
do $$
declare
  v_type text;
begin
  select c.data_type into v_type
  from information_schema.columns c
  where c.table_schema = 'public' and c.table_name = 'workspace_entitlements' and c.column_name = 'value';

  if v_type is null then
    alter table public.workspace_entitlements add column value jsonb default '{}'::jsonb;
    return;
  end if;

  if v_type = 'jsonb' then
    update public.workspace_entitlements we
    set payload = we.value
    where (we.payload is null or we.payload = '{}'::jsonb)
      and jsonb_typeof(we.value) = 'object'
      and we.value <> '{}'::jsonb;
  end if;

  alter table public.workspace_entitlements alter column value drop not null;
  if v_type = 'jsonb' then
    alter table public.workspace_entitlements alter column value set default '{}'::jsonb;
  end if;
end
$$;
