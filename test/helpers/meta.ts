import { sign } from '../../src/hub/webhook/signature.js';
import { registerSecret } from './secrets.js';

export const APP_SECRET = 'test-app-secret-0123456789';
registerSecret(APP_SECRET, 'META_APP_SECRET (helpers/meta.ts)');

let seq = 0;
const now = () => String(Math.floor(Date.now() / 1000) + seq++);

/** A Meta-shaped inbound text message change. */
export function textChange(phoneNumberId: string, from: string, body: string, wamid = `wamid.in${++seq}`, name = 'Sari') {
  return {
    field: 'messages',
    value: {
      messaging_product: 'whatsapp',
      metadata: { display_phone_number: '15550000000', phone_number_id: phoneNumberId },
      contacts: [{ profile: { name }, wa_id: from }],
      messages: [{ from, id: wamid, timestamp: now(), type: 'text', text: { body } }],
    },
  };
}

export function imageChange(phoneNumberId: string, from: string, caption: string, wamid = `wamid.img${++seq}`) {
  return {
    field: 'messages',
    value: {
      messaging_product: 'whatsapp',
      metadata: { display_phone_number: '15550000000', phone_number_id: phoneNumberId },
      contacts: [{ profile: { name: 'Budi' }, wa_id: from }],
      messages: [{ from, id: wamid, timestamp: now(), type: 'image', image: { caption, mime_type: 'image/jpeg', sha256: 'x', id: 'media1' } }],
    },
  };
}

export function statusChange(phoneNumberId: string, wamid: string, status: string, error?: { code: number; title: string }) {
  return {
    field: 'messages',
    value: {
      messaging_product: 'whatsapp',
      metadata: { display_phone_number: '15550000000', phone_number_id: phoneNumberId },
      statuses: [{ id: wamid, status, timestamp: now(), recipient_id: '6281', ...(error ? { errors: [{ ...error, message: error.title, error_data: { details: error.title } }] } : {}) }],
    },
  };
}

export function webhookBody(...changes: unknown[]) {
  return { object: 'whatsapp_business_account', entry: [{ id: 'WABA1', changes }] };
}

/** Inject options for a signed webhook POST. */
export function signedPost(body: unknown, secret = APP_SECRET) {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  return {
    method: 'POST' as const,
    url: '/api/webhooks/meta/whatsapp',
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': sign(raw, secret) },
    payload: raw,
  };
}
