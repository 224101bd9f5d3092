drop function if exists public.assert_ops_caller();
drop table if exists public.owner_audit_log;
drop table if exists public.owner_members;
drop table if exists public.platform_admins;
drop policy if exists workspace_memberships_member_read on public.workspace_memberships;
drop policy if exists workspaces_member_read on public.workspaces;
drop function if exists public.is_workspace_member(uuid);
drop table if exists public.workspace_memberships;
drop table if exists public.workspaces;
