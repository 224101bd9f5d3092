-- Schema-only DDL of every user schema, generated from the system catalog, for a rehearsal clone
-- where no fitting pg_dump exists (the embedded server ships none). One row per statement:
-- (phase, ord, sql), to run in phase order. Run under `set local search_path = ''`, so every name
-- and expression prints fully qualified. Identifiers are quoted by format('%I') / quote_ident.
-- Like `pg_dump --schema-only --no-owner`: no data, no owners, no comments; invalid indexes skipped.
-- Not reproduced (rare here): range types, foreign tables, publications, event triggers.
with
ext as (select classid, objid from pg_depend where deptype = 'e'),
ns as (
  select n.oid, n.nspname, n.nspowner, n.nspacl from pg_namespace n
  where n.nspname not in ('pg_catalog', 'information_schema') and n.nspname !~ '^pg_'
    and not exists (select 1 from ext where ext.classid = 'pg_namespace'::regclass and ext.objid = n.oid)
),
-- Objects extensions own are made by `create extension`; only their ACLs (granted since) are copied.
rel_all as (
  select c.oid, c.relname, c.relkind, c.relowner, c.relacl, c.relpersistence, c.reloptions, c.relispartition,
    c.relrowsecurity, c.relforcerowsecurity, format('%I.%I', n.nspname, c.relname) as qname,
    exists (select 1 from ext where ext.classid = 'pg_class'::regclass and ext.objid = c.oid) as of_extension
  from pg_class c join ns n on n.oid = c.relnamespace
  where c.relkind in ('r', 'p', 'v', 'm', 'S')
),
rel as (select * from rel_all where not of_extension),
tbl as (select * from rel where relkind in ('r', 'p')),
identity_seq as (
  select d.objid from pg_depend d where d.classid = 'pg_class'::regclass and d.deptype = 'i'
    and d.refclassid = 'pg_class'::regclass
),
col as (
  select t.oid as relid, t.qname, a.attnum, a.attname, a.attnotnull, a.attidentity, a.attgenerated, a.attislocal,
    format_type(a.atttypid, a.atttypmod) as type,
    case when a.attcollation <> 0 and a.attcollation <> ty.typcollation
      then ' collate ' || (select format('%I.%I', cn.nspname, co.collname) from pg_collation co
        join pg_namespace cn on cn.oid = co.collnamespace where co.oid = a.attcollation) else '' end as collate,
    pg_get_expr(ad.adbin, ad.adrelid) as default_expr,
    case when a.attidentity <> '' then (select s from pg_sequence s
      where s.seqrelid = pg_get_serial_sequence(t.qname, a.attname)::regclass) end as ident
  from tbl t
  join pg_attribute a on a.attrelid = t.oid and a.attnum > 0 and not a.attisdropped
  join pg_type ty on ty.oid = a.atttypid
  left join pg_attrdef ad on ad.adrelid = t.oid and ad.adnum = a.attnum
),
func_all as (
  select p.oid, p.prokind, p.proowner, p.proacl,
    format('%s %I.%I(%s)', case when p.prokind = 'p' then 'procedure' else 'function' end, n.nspname, p.proname,
      pg_get_function_identity_arguments(p.oid)) as target,
    exists (select 1 from ext where ext.classid = 'pg_proc'::regclass and ext.objid = p.oid) as of_extension
  from pg_proc p join ns n on n.oid = p.pronamespace
  where p.prokind in ('f', 'p', 'w')
),
func as (select * from func_all where not of_extension),
-- One row per object and grantee that is not the owner (the clone's owner has its own defaults).
acl as (
  select format('%s %s', case r.relkind when 'S' then 'sequence' else 'table' end, r.qname) as target, '' as cols,
    r.relowner as owner, x.*, r.relkind = 'S' as is_seq, 1 as kind
  from rel_all r cross join lateral aclexplode(r.relacl) with ordinality x where r.relacl is not null
  union all
  select format('table %s', t.qname), format(' (%I)', a.attname), t.relowner, x.*, false, 2
  from rel_all t join pg_attribute a on a.attrelid = t.oid and a.attnum > 0 and not a.attisdropped and a.attacl is not null
  cross join lateral aclexplode(a.attacl) with ordinality x
  union all
  select f.target, '', f.proowner, x.*, false, 3 from func_all f cross join lateral aclexplode(f.proacl) with ordinality x where f.proacl is not null
  union all
  select format('schema %I', n.nspname), '', n.nspowner, x.*, false, 4 from ns n cross join lateral aclexplode(n.nspacl) with ordinality x
  where n.nspacl is not null
),
stmt(phase, ord, sql) as (
  select 1, n.nspname::text, format('create schema if not exists %I', n.nspname) from ns n where n.nspname <> 'public'
  union all
  select 2, e.extname, format('create extension if not exists %I with schema %I', e.extname, n.nspname)
  from pg_extension e join pg_namespace n on n.oid = e.extnamespace where e.extname <> 'plpgsql'
  union all
  select 3, t.typname, case t.typtype
      when 'e' then format('create type %I.%I as enum (%s)', n.nspname, t.typname,
        (select string_agg(quote_literal(e.enumlabel), ', ' order by e.enumsortorder) from pg_enum e where e.enumtypid = t.oid))
      when 'd' then format('create domain %I.%I as %s%s%s', n.nspname, t.typname, format_type(t.typbasetype, t.typtypmod),
        coalesce(' default ' || t.typdefault, ''), case when t.typnotnull then ' not null' else '' end)
        || coalesce((select string_agg(format(' constraint %I %s', con.conname, pg_get_constraintdef(con.oid)), '' order by con.conname)
          from pg_constraint con where con.contypid = t.oid), '')
      else format('create type %I.%I as (%s)', n.nspname, t.typname,
        (select string_agg(format('%I %s', a.attname, format_type(a.atttypid, a.atttypmod)), ', ' order by a.attnum)
          from pg_attribute a where a.attrelid = t.typrelid and a.attnum > 0 and not a.attisdropped))
    end
  from pg_type t join ns n on n.oid = t.typnamespace
  where (t.typtype in ('e', 'd') or (t.typtype = 'c' and (select c.relkind from pg_class c where c.oid = t.typrelid) = 'c'))
    and not exists (select 1 from ext where ext.classid = 'pg_type'::regclass and ext.objid = t.oid)
  union all
  select 4, r.qname, format('create sequence %s as %s increment by %s minvalue %s maxvalue %s start with %s cache %s%s', r.qname,
      format_type(s.seqtypid, null), s.seqincrement, s.seqmin, s.seqmax, s.seqstart, s.seqcache, case when s.seqcycle then ' cycle' else '' end)
  from rel r join pg_sequence s on s.seqrelid = r.oid
  where r.relkind = 'S' and r.oid not in (select objid from identity_seq)
  union all
  select 5, lpad(t.oid::text, 10, '0'), case when t.relispartition
    then format('create table %s partition of %s %s%s', t.qname,
      (select pr.qname from pg_inherits i join rel pr on pr.oid = i.inhparent where i.inhrelid = t.oid),
      pg_get_expr((select c.relpartbound from pg_class c where c.oid = t.oid), t.oid),
      case when t.relkind = 'p' then ' partition by ' || pg_get_partkeydef(t.oid) else '' end)
    else format('create %stable %s (%s)%s%s%s', case when t.relpersistence = 'u' then 'unlogged ' else '' end, t.qname,
      coalesce((select string_agg(format('%I %s%s%s%s', c.attname, c.type, c.collate,
        case c.attidentity when '' then '' else format(' generated %s as identity (increment by %s minvalue %s maxvalue %s start with %s cache %s%s)',
          case c.attidentity when 'a' then 'always' else 'by default' end, (c.ident).seqincrement, (c.ident).seqmin, (c.ident).seqmax,
          (c.ident).seqstart, (c.ident).seqcache, case when (c.ident).seqcycle then ' cycle' else '' end) end
        || case when c.attgenerated = 's' then format(' generated always as (%s) stored', c.default_expr) else '' end,
        case when c.attnotnull then ' not null' else '' end), ', ' order by c.attnum)
        from col c where c.relid = t.oid and c.attislocal), ''),
      coalesce(' inherits (' || (select string_agg(pr.qname, ', ' order by i.inhseqno) from pg_inherits i join rel pr on pr.oid = i.inhparent
        where i.inhrelid = t.oid) || ')', ''),
      case when t.relkind = 'p' then ' partition by ' || pg_get_partkeydef(t.oid) else '' end,
      coalesce(' with (' || array_to_string(t.reloptions, ', ') || ')', ''))
    end
  from tbl t
  union all
  select 6, lpad(f.oid::text, 10, '0'), pg_get_functiondef(f.oid) from func f
  union all
  select 7, c.qname || c.attnum, format('alter table %s alter column %I set default %s', c.qname, c.attname, c.default_expr)
  from col c where c.default_expr is not null and c.attgenerated = '' and c.attislocal
  union all
  select case when con.contype = 'f' then 10 else 8 end, t.qname || con.conname,
    format('alter table %s add constraint %I %s', t.qname, con.conname, pg_get_constraintdef(con.oid))
  from tbl t join pg_constraint con on con.conrelid = t.oid
  where con.contype in ('p', 'u', 'x', 'c', 'f') and con.conislocal and con.conparentid = 0
  union all
  select case when t.relkind = 'm' then 12 else 9 end, ic.relname, pg_get_indexdef(i.indexrelid)
  from rel t join pg_index i on i.indrelid = t.oid join pg_class ic on ic.oid = i.indexrelid
  where t.relkind in ('r', 'p', 'm') and i.indisvalid
    and not exists (select 1 from pg_constraint con where con.conindid = i.indexrelid and con.contype in ('p', 'u', 'x'))
    and not exists (select 1 from pg_inherits inh where inh.inhrelid = i.indexrelid)
  union all
  select 11, lpad(v.oid::text, 10, '0'), case v.relkind
    when 'v' then format('create view %s%s as %s', v.qname, coalesce(' with (' || array_to_string(v.reloptions, ', ') || ')', ''),
      rtrim(pg_get_viewdef(v.oid), ';'))
    else format('create materialized view %s as %s with no data', v.qname, rtrim(pg_get_viewdef(v.oid), ';')) end
  from rel v where v.relkind in ('v', 'm')
  union all
  select 12, r.qname, format('alter sequence %s owned by %s.%I', r.qname, t.qname, a.attname)
  from rel r join pg_depend d on d.classid = 'pg_class'::regclass and d.objid = r.oid and d.deptype = 'a' and d.refclassid = 'pg_class'::regclass
  join rel t on t.oid = d.refobjid join pg_attribute a on a.attrelid = t.oid and a.attnum = d.refobjsubid
  where r.relkind = 'S'
  union all
  select 13, t.qname || tg.tgname, pg_get_triggerdef(tg.oid)
    || case tg.tgenabled when 'D' then format('; alter table %s disable trigger %I', t.qname, tg.tgname)
      when 'R' then format('; alter table %s enable replica trigger %I', t.qname, tg.tgname)
      when 'A' then format('; alter table %s enable always trigger %I', t.qname, tg.tgname) else '' end
  from tbl t join pg_trigger tg on tg.tgrelid = t.oid and not tg.tgisinternal and tg.tgparentid = 0
  union all
  select 14, t.qname, format('alter table %s enable row level security', t.qname) from tbl t where t.relrowsecurity
  union all
  select 14, t.qname || ' force', format('alter table %s force row level security', t.qname) from tbl t where t.relforcerowsecurity
  union all
  select 15, t.qname || pol.polname, format('create policy %I on %s as %s for %s to %s%s%s', pol.polname, t.qname,
      case when pol.polpermissive then 'permissive' else 'restrictive' end,
      case pol.polcmd when 'r' then 'select' when 'a' then 'insert' when 'w' then 'update' when 'd' then 'delete' else 'all' end,
      (select string_agg(case when r = 0 then 'public' else quote_ident(pg_get_userbyid(r)) end, ', ') from unnest(pol.polroles) r),
      coalesce(' using (' || pg_get_expr(pol.polqual, pol.polrelid) || ')', ''),
      coalesce(' with check (' || pg_get_expr(pol.polwithcheck, pol.polrelid) || ')', ''))
  from tbl t join pg_policy pol on pol.polrelid = t.oid
  union all
  -- A function's or schema's ACL replaces its default (PUBLIC may execute a function): revoke it first.
  select 16, a.target || ' 0', format('revoke all on %s from public', a.target) from (select distinct target from acl where kind in (3, 4)) a
  union all
  select 16, a.target || ' 1' || a.cols || lpad(a.ordinality::text, 5, '0'), format('grant %s%s on %s to %s%s', lower(a.privilege_type), a.cols, a.target,
      case when a.grantee = 0 then 'public' else quote_ident(pg_get_userbyid(a.grantee)) end, case when a.is_grantable then ' with grant option' else '' end)
  from acl a where a.grantee <> a.owner
  union all
  -- Default privileges last, so they shape only what the pending files create. A global entry
  -- replaces the built-in default (PUBLIC's EXECUTE on functions), a schema one adds to it.
  select 17, d.oid::text || ' 0', format('alter default privileges for role %I revoke all on %s from public', pg_get_userbyid(d.defaclrole), k.kind)
  from pg_default_acl d cross join lateral (select case d.defaclobjtype when 'r' then 'tables' when 'S' then 'sequences'
    when 'f' then 'functions' when 'T' then 'types' else 'schemas' end as kind) k
  where d.defaclnamespace = 0
  union all
  select 17, d.oid::text || ' 1' || x.grantee || x.privilege_type, format('alter default privileges for role %I%s grant %s on %s to %s%s',
      pg_get_userbyid(d.defaclrole), case when d.defaclnamespace = 0 then '' else format(' in schema %I', (select n.nspname from pg_namespace n where n.oid = d.defaclnamespace)) end,
      lower(x.privilege_type), k.kind, case when x.grantee = 0 then 'public' else quote_ident(pg_get_userbyid(x.grantee)) end,
      case when x.is_grantable then ' with grant option' else '' end)
  from pg_default_acl d cross join lateral aclexplode(d.defaclacl) x
  cross join lateral (select case d.defaclobjtype when 'r' then 'tables' when 'S' then 'sequences'
    when 'f' then 'functions' when 'T' then 'types' else 'schemas' end as kind) k
  where x.grantee <> d.defaclrole
)
select phase, sql from stmt order by phase, ord collate "C"
