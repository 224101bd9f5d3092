type Contact = { waId: string; name: string };

/** One inbound message of `contact` as Meta's webhook carries it; `content` is its type and type-specific part. */
function messageWebhookBody(pnid: string, contact: Contact, wamid: string, content: Record<string, unknown>): string {
  return JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [{ id: 'W', changes: [{ field: 'messages', value: {
      messaging_product: 'whatsapp',
      metadata: { display_phone_number: '1555', phone_number_id: pnid },
      contacts: [{ profile: { name: contact.name }, wa_id: contact.waId }],
      messages: [{ from: contact.waId, id: wamid, timestamp: String(Math.floor(Date.now() / 1000)), ...content }],
    } }] }],
  });
}

/** One inbound text message, for the bench's load and probes. */
export function textWebhookBody(pnid: string, contact: Contact, wamid: string, text: string): string {
  return messageWebhookBody(pnid, contact, wamid, { type: 'text', text: { body: text } });
}

/** One inbound image message (a media id to archive later), as the ingest bench's media mix sends it. */
export function imageWebhookBody(pnid: string, contact: Contact, wamid: string, mediaId: string): string {
  return messageWebhookBody(pnid, contact, wamid, {
    type: 'image', image: { id: mediaId, mime_type: 'image/jpeg', sha256: 'c2hhMjU2LW9mLXRoZS1maWxl', caption: `photo ${wamid}` },
  });
}
