-- Definitions of the public functions, triggers and views, keyed as the catalog keys them, for
-- the reconcile generator. Run under `set local search_path = ''`: every name prints qualified.
select 'functions' as section, p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')' as name,
  pg_get_functiondef(p.oid) as sql,
  format('%s %I.%I(%s)', case when p.prokind = 'p' then 'procedure' else 'function' end, 'public', p.proname,
    pg_get_function_identity_arguments(p.oid)) as target
from pg_proc p
where p.pronamespace = 'public'::regnamespace and p.prokind in ('f', 'p')
  and not exists (select 1 from pg_depend d where d.deptype = 'e' and d.classid = 'pg_proc'::regclass and d.objid = p.oid)
union all
select 'triggers', c.relname || '.' || t.tgname, pg_get_triggerdef(t.oid), format('%I.%I', 'public', c.relname)
from pg_trigger t join pg_class c on c.oid = t.tgrelid
where c.relnamespace = 'public'::regnamespace and not t.tgisinternal
union all
select 'views', c.relname, format('create or replace view %I.%I%s as %s', 'public', c.relname,
    coalesce(' with (' || array_to_string(c.reloptions, ', ') || ')', ''), rtrim(pg_get_viewdef(c.oid), ';')),
  format('%I.%I', 'public', c.relname)
from pg_class c
where c.relnamespace = 'public'::regnamespace and c.relkind = 'v'
  and not exists (select 1 from pg_depend d where d.deptype = 'e' and d.classid = 'pg_class'::regclass and d.objid = c.oid)
