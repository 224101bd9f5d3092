import type { MetaMessage } from './events.js';

type Json = Record<string, unknown>;
const obj = (value: unknown): Json | null => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : null);
const str = (value: unknown): string | null => (typeof value === 'string' && value.trim() ? value.trim() : null);

/**
 * What a person reads for a message that is not plain text but says something (issue 17): the
 * title of a tapped reply button or list row, a template's quick-reply button, a shared location,
 * shared contacts, a reaction's emoji. Null for anything else (media keep their caption).
 */
export function readableText(message: MetaMessage): string | null {
  switch (message.type) {
    case 'interactive': {
      const interactive = obj(message.interactive);
      const reply = obj(interactive?.button_reply) ?? obj(interactive?.list_reply);
      if (reply) {
        const title = str(reply.title);
        const description = str(reply.description);
        return title ? (description ? `${title} — ${description}` : title) : null;
      }
      if (obj(interactive?.nfm_reply)) return str(obj(interactive?.nfm_reply)?.body) ?? '[form reply]';
      return null;
    }
    case 'button':
      return str(obj(message.button)?.text) ?? str(obj(message.button)?.payload);
    case 'location': {
      const location = obj(message.location);
      if (!location) return null;
      const place = [str(location.name), str(location.address)].filter(Boolean).join(', ');
      const at = typeof location.latitude === 'number' && typeof location.longitude === 'number' ? `${location.latitude}, ${location.longitude}` : null;
      return `📍 ${place || at || 'Location'}`;
    }
    case 'contacts': {
      const people = (Array.isArray(message.contacts) ? message.contacts : []).map(obj).filter((c): c is Json => c !== null).map((contact) => {
        const name = str(obj(contact.name)?.formatted_name) ?? str(obj(contact.name)?.first_name) ?? 'Contact';
        const phone = str(obj((Array.isArray(contact.phones) ? contact.phones : [])[0])?.phone);
        return phone ? `${name} (${phone})` : name;
      });
      return people.length > 0 ? `👤 ${people.join(', ')}` : null;
    }
    case 'reaction':
      return str(obj(message.reaction)?.emoji);
    default:
      return null;
  }
}
