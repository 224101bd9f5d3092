/** What the Embedded Signup window says about the person's choices (`WA_EMBEDDED_SIGNUP`). */
type Finished = { event: 'FINISH'; wabaId: string; phoneNumberId: string };
type Cancelled = { event: 'CANCEL'; step: string | null; message: string | null };
type Failed = { event: 'ERROR'; message: string };
export type SessionInfo = Finished | Cancelled | Failed;

/** Only Meta's own windows may speak for the signup: https and a facebook.com host. */
export function fromFacebook(origin: string): boolean {
  try {
    const url = new URL(origin);
    return url.protocol === 'https:' && (url.hostname === 'facebook.com' || url.hostname.endsWith('.facebook.com'));
  } catch {
    return false;
  }
}

const text = (value: unknown): string | null => (typeof value === 'string' && value ? value : typeof value === 'number' ? String(value) : null);

/** The session info in a message's data (a JSON string, or an object), or null for any other message. */
export function parseSessionInfo(data: unknown): SessionInfo | null {
  let value = data;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return null;
    }
  }
  const message = value as { type?: unknown; event?: unknown; data?: Record<string, unknown> } | null;
  if (!message || message.type !== 'WA_EMBEDDED_SIGNUP') return null;
  const fields = message.data ?? {};
  if (typeof message.event === 'string' && message.event.startsWith('FINISH')) {
    const wabaId = text(fields.waba_id);
    const phoneNumberId = text(fields.phone_number_id);
    if (wabaId && phoneNumberId) return { event: 'FINISH', wabaId, phoneNumberId };
    return { event: 'ERROR', message: 'Meta finished without a WhatsApp Business Account and a number. Choose a number in the Facebook window.' };
  }
  if (message.event === 'CANCEL') return { event: 'CANCEL', step: text(fields.current_step), message: text(fields.error_message) };
  if (message.event === 'ERROR') return { event: 'ERROR', message: text(fields.error_message) ?? 'Meta reported an error in the signup window.' };
  return null;
}

/** Listens on this window for the session info until `dispose`. */
export function listenForSessionInfo(onInfo: (info: SessionInfo) => void): () => void {
  const listener = (event: MessageEvent) => {
    if (!fromFacebook(event.origin)) return;
    const info = parseSessionInfo(event.data);
    if (info) onInfo(info);
  };
  window.addEventListener('message', listener);
  return () => window.removeEventListener('message', listener);
}
