import * as Switch from '@radix-ui/react-switch';

/** The Monitor switch of a group row (Radix: role switch, Space toggles it). */
export function MonitorSwitch({ name, checked, disabled, onChange }: { name: string; checked: boolean; disabled?: boolean; onChange: (on: boolean) => void }) {
  return (
    <Switch.Root
      checked={checked}
      disabled={disabled}
      onCheckedChange={onChange}
      aria-label={`Monitor ${name}`}
      className="relative inline-flex h-6 w-11 shrink-0 items-center rounded-full bg-slate-300 transition-colors focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-emerald-700 disabled:opacity-50 data-[state=checked]:bg-emerald-700"
    >
      <Switch.Thumb className="block size-5 translate-x-0.5 rounded-full bg-white shadow transition-transform data-[state=checked]:translate-x-[1.375rem]" />
    </Switch.Root>
  );
}
