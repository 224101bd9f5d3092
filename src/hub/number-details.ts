import { type GraphResult, type GraphTarget, graphCall } from './graph-api.js';

/** What Graph says about a WhatsApp number (`GET /{phone_number_id}?fields=…`). */
export interface NumberDetails {
  id: string;
  displayPhoneNumber: string | null;
  verifiedName: string | null;
  qualityRating: string | null;
  codeVerificationStatus: string | null;
  nameStatus: string | null;
  platformType: string | null;
  throughputLevel: string | null;
}

const FIELDS = 'display_phone_number,verified_name,quality_rating,code_verification_status,name_status,platform_type,throughput';

interface GraphNumber {
  id?: unknown;
  display_phone_number?: unknown;
  verified_name?: unknown;
  quality_rating?: unknown;
  code_verification_status?: unknown;
  name_status?: unknown;
  platform_type?: unknown;
  throughput?: { level?: unknown };
}

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value.slice(0, 200) : null);

/** Reads a number's details with its token. */
export async function fetchNumberDetails(target: GraphTarget, phoneNumberId: string, token: string): Promise<GraphResult<NumberDetails>> {
  const result = await graphCall<GraphNumber>(target, {
    method: 'GET',
    path: encodeURIComponent(phoneNumberId),
    query: { fields: FIELDS },
    token,
    secrets: [token],
  });
  if (!result.ok) return result;
  const n = result.body;
  return {
    ok: true,
    body: {
      id: text(n.id) ?? phoneNumberId,
      displayPhoneNumber: text(n.display_phone_number),
      verifiedName: text(n.verified_name),
      qualityRating: text(n.quality_rating),
      codeVerificationStatus: text(n.code_verification_status),
      nameStatus: text(n.name_status),
      platformType: text(n.platform_type),
      throughputLevel: text(n.throughput?.level),
    },
  };
}
