import { Badge } from '../ui/badge';
import type { MonitorStatus } from './queries';

const TONE = { connected: 'green', connecting: 'amber', disconnected: 'gray' } as const;
const LABEL = { connected: 'Connected', connecting: 'Connecting', disconnected: 'Disconnected' } as const;

export function SessionBadge({ status }: { status: MonitorStatus['status'] }) {
  return <Badge tone={TONE[status]}>{LABEL[status]}</Badge>;
}
